// @vitest-environment edge-runtime
import { canonicalJson, hashOp } from "@qc/core/op";
import { describe, expect, test } from "vitest";
import { api } from "./_generated/api.js";
import { MAX_BATCH_BYTES, MAX_BATCH_OPS, MAX_BODY_BYTES } from "./lib/limits.js";
import { REPLICA_B, createProject, expectRefusal, makeBackend, makeSetOp, makeSetOps, makeTextOp, storedOps } from "./test.setup.js";

describe("ops:push", () => {
  test("stores new ops with gapless seqs and acks their ids", async () => {
    const t = makeBackend();
    const owner = await createProject(t);
    const first = makeSetOps(owner, 3);
    expect(await t.mutation(api.ops.push, { token: owner.token, project: owner.project, ops: first })).toEqual({
      acked: first.map((op) => op.id),
      head: 3,
    });
    const second = makeSetOps({ ...owner, counter: 3 }, 2);
    expect(await t.mutation(api.ops.push, { token: owner.token, project: owner.project, ops: second })).toEqual({
      acked: second.map((op) => op.id),
      head: 5,
    });
    const rows = await storedOps(t, owner.project);
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(rows.map((r) => r.id)).toEqual([...first, ...second].map((op) => op.id));
    expect(rows.map((r) => r.hash)).toEqual([...first, ...second].map(hashOp));
    expect((await t.query(api.ops.head, { token: owner.token, project: owner.project })).head).toBe(5);
  });

  test("an empty batch changes nothing", async () => {
    const t = makeBackend();
    const owner = await createProject(t);
    expect(await t.mutation(api.ops.push, { token: owner.token, project: owner.project, ops: [] })).toEqual({ acked: [], head: 0 });
  });

  test("re-pushing stored ops acks them again and stores nothing twice", async () => {
    const t = makeBackend();
    const owner = await createProject(t);
    const ops = makeSetOps(owner, 3);
    await t.mutation(api.ops.push, { token: owner.token, project: owner.project, ops });
    const more = makeSetOp({ ...owner, counter: 3 });
    const again = await t.mutation(api.ops.push, { token: owner.token, project: owner.project, ops: [...ops, more, ops[0]] });
    expect(again).toEqual({ acked: [...ops, more].map((op) => op.id), head: 4 });
    expect((await storedOps(t, owner.project)).map((r) => r.id)).toEqual([...ops, more].map((op) => op.id));
  });

  test("an editor pushes; a viewer is forbidden", async () => {
    const t = makeBackend();
    const owner = await createProject(t);
    const editor = await t.mutation(api.members.invite, { token: owner.token, project: owner.project, actor: "bob", role: "editor" });
    const viewer = await t.mutation(api.members.invite, { token: owner.token, project: owner.project, actor: "vic", role: "viewer" });
    await t.mutation(api.ops.push, { token: editor.token, project: owner.project, ops: [makeSetOp({ ...owner, actor: "bob" })] });
    await expectRefusal(
      t.mutation(api.ops.push, { token: viewer.token, project: owner.project, ops: [makeSetOp({ ...owner, actor: "vic", counter: 1 })] }),
      "forbidden",
      /viewer/,
    );
    expect(await storedOps(t, owner.project)).toHaveLength(1);
  });

  test("a non-member, a wrong-project token and a revoked token are refused", async () => {
    const t = makeBackend();
    const a = await createProject(t);
    const b = await createProject(t, "mallory");
    const op = makeSetOp(a);
    await expectRefusal(t.mutation(api.ops.push, { token: "f".repeat(64), project: a.project, ops: [op] }), "token-refused");
    await expectRefusal(t.mutation(api.ops.push, { token: b.token, project: a.project, ops: [op] }), "token-refused");
    const bob = await t.mutation(api.members.invite, { token: a.token, project: a.project, actor: "bob", role: "editor" });
    await t.mutation(api.members.revoke, { token: a.token, project: a.project, actor: "bob" });
    await expectRefusal(
      t.mutation(api.ops.push, { token: bob.token, project: a.project, ops: [makeSetOp({ ...a, actor: "bob" })] }),
      "token-refused",
    );
    expect(await storedOps(t, a.project)).toHaveLength(0);
  });

  test("an op whose actor is not the token's member is refused (forged actor)", async () => {
    const t = makeBackend();
    const owner = await createProject(t);
    const forged = makeSetOp({ ...owner, actor: "bob", counter: 1 });
    await expectRefusal(
      t.mutation(api.ops.push, { token: owner.token, project: owner.project, ops: [makeSetOp(owner), forged] }),
      "invalid-op",
      new RegExp(`${forged.id}.*actor bob.*alice`),
    );
    expect(await storedOps(t, owner.project)).toHaveLength(0);
  });

  test("the member's agent (actor agent:<member>) pushes under the member's token; another agent is refused", async () => {
    const t = makeBackend();
    const owner = await createProject(t);
    const agent = makeSetOp({ ...owner, actor: `agent:${owner.actor}`, counter: 1 });
    await t.mutation(api.ops.push, { token: owner.token, project: owner.project, ops: [agent] });
    expect((await storedOps(t, owner.project)).map((r) => r.actor)).toEqual([`agent:${owner.actor}`]);
    const stranger = makeSetOp({ ...owner, actor: "agent:bob", counter: 2 });
    await expectRefusal(
      t.mutation(api.ops.push, { token: owner.token, project: owner.project, ops: [stranger] }),
      "invalid-op",
      new RegExp(`${stranger.id}.*actor agent:bob.*alice`),
    );
  });

  test("an op of another project is refused, naming it", async () => {
    const t = makeBackend();
    const owner = await createProject(t);
    const other = makeSetOp({ ...owner, project: "elsewhere" });
    await expectRefusal(
      t.mutation(api.ops.push, { token: owner.token, project: owner.project, ops: [other] }),
      "invalid-op",
      new RegExp(`${other.id}.*elsewhere`),
    );
  });

  test("an invalid op is refused naming its id, and nothing of the batch is written", async () => {
    const t = makeBackend();
    const owner = await createProject(t);
    const good = makeSetOp(owner);
    const bad = { ...makeSetOp({ ...owner, counter: 1 }), target: { type: "code", id: "" } };
    const message = await expectRefusal(
      t.mutation(api.ops.push, { token: owner.token, project: owner.project, ops: [good, bad] }),
      "invalid-op",
    );
    expect(message).toContain(bad.id);
    expect(message).toContain("target");
    expect(await storedOps(t, owner.project)).toHaveLength(0);
    await expectRefusal(t.mutation(api.ops.push, { token: owner.token, project: owner.project, ops: ["not an op"] }), "invalid-op", /#0/);
    const notJson = { ...makeSetOp({ ...owner, counter: 2 }), v: 2, body: { value: Number.NaN } };
    await expectRefusal(
      t.mutation(api.ops.push, { token: owner.token, project: owner.project, ops: [notJson] }),
      "invalid-op",
      new RegExp(`${notJson.id}.*not JSON`),
    );
  });

  test("an op whose body is over 256 KiB is refused", async () => {
    const t = makeBackend();
    const owner = await createProject(t);
    const fits = makeTextOp(owner, "QUJD".repeat((MAX_BODY_BYTES - 100) / 4));
    const big = makeTextOp({ ...owner, counter: 1 }, "QUJD".repeat(MAX_BODY_BYTES / 4));
    await t.mutation(api.ops.push, { token: owner.token, project: owner.project, ops: [fits] });
    await expectRefusal(
      t.mutation(api.ops.push, { token: owner.token, project: owner.project, ops: [big] }),
      "invalid-op",
      new RegExp(`${big.id}.*body`),
    );
    const futureBig = { ...big, v: 2 };
    await expectRefusal(
      t.mutation(api.ops.push, { token: owner.token, project: owner.project, ops: [futureBig] }),
      "invalid-op",
      new RegExp(`${big.id}.*body of \\d+ bytes`),
    );
    expect(await storedOps(t, owner.project)).toHaveLength(1);
  });

  test("a batch of more than 500 ops is refused; 500 are stored", async () => {
    const t = makeBackend();
    const owner = await createProject(t);
    const ops = makeSetOps(owner, MAX_BATCH_OPS + 1);
    await expectRefusal(t.mutation(api.ops.push, { token: owner.token, project: owner.project, ops }), "batch-too-large", /500 ops/);
    expect(await storedOps(t, owner.project)).toHaveLength(0);
    const result = await t.mutation(api.ops.push, { token: owner.token, project: owner.project, ops: ops.slice(0, MAX_BATCH_OPS) });
    expect(result.head).toBe(MAX_BATCH_OPS);
  });

  test("a batch of more than 4 MiB of canonical JSON is refused", async () => {
    const t = makeBackend();
    const owner = await createProject(t);
    const update = "QUJD".repeat((200 * 1024) / 4);
    const count = Math.ceil(MAX_BATCH_BYTES / (200 * 1024)) + 1;
    const ops = Array.from({ length: count }, (_, i) => makeTextOp({ ...owner, counter: i }, update));
    const total = ops.reduce((sum, op) => sum + new TextEncoder().encode(canonicalJson(op)).length, 0);
    expect(total).toBeGreaterThan(MAX_BATCH_BYTES);
    await expectRefusal(t.mutation(api.ops.push, { token: owner.token, project: owner.project, ops }), "batch-too-large", /bytes/);
    expect(await storedOps(t, owner.project)).toHaveLength(0);
    // Just under the limit is fine, and fits Convex's own transaction limits.
    const underLimit = ops.slice(0, Math.floor(MAX_BATCH_BYTES / (200 * 1024 + 300)));
    expect((await t.mutation(api.ops.push, { token: owner.token, project: owner.project, ops: underLimit })).head).toBe(underLimit.length);
  });

  test("an op whose HLC is more than 5 minutes ahead of the server clock is refused, saying by how much", async () => {
    const t = makeBackend();
    const owner = await createProject(t);
    const nearFuture = makeSetOp({ ...owner, wallMs: Date.now() + 4 * 60_000 });
    await t.mutation(api.ops.push, { token: owner.token, project: owner.project, ops: [nearFuture] });
    const farFuture = makeSetOp({ ...owner, wallMs: Date.now() + 60 * 60_000 });
    await expectRefusal(
      t.mutation(api.ops.push, { token: owner.token, project: owner.project, ops: [farFuture] }),
      "clock-ahead",
      new RegExp(`${farFuture.id}.*(59|60) min ahead`),
    );
    expect(await storedOps(t, owner.project)).toHaveLength(1);
  });

  test("a reused id with other content is refused naming the id, and nothing of the batch is written", async () => {
    const t = makeBackend();
    const owner = await createProject(t);
    const original = makeSetOp({ ...owner, value: "Trust" });
    await t.mutation(api.ops.push, { token: owner.token, project: owner.project, ops: [original] });
    const fresh = makeSetOp({ ...owner, counter: 5 });
    const impostor = makeSetOp({ ...owner, value: "Distrust" });
    await expectRefusal(
      t.mutation(api.ops.push, { token: owner.token, project: owner.project, ops: [fresh, impostor] }),
      "id-reused",
      new RegExp(original.id),
    );
    const rows = await storedOps(t, owner.project);
    expect(rows.map((r) => r.id)).toEqual([original.id]);
    expect(rows[0]?.hash).toBe(hashOp(original));
    expect((await t.query(api.ops.head, { token: owner.token, project: owner.project })).head).toBe(1);
  });

  test("the same id twice in one batch: same content is stored once, other content refuses the batch", async () => {
    const t = makeBackend();
    const owner = await createProject(t);
    const op = makeSetOp(owner);
    expect(await t.mutation(api.ops.push, { token: owner.token, project: owner.project, ops: [op, op] })).toEqual({
      acked: [op.id],
      head: 1,
    });
    const next = makeSetOp({ ...owner, counter: 1, value: "a" });
    const clash = makeSetOp({ ...owner, counter: 1, value: "b" });
    await expectRefusal(
      t.mutation(api.ops.push, { token: owner.token, project: owner.project, ops: [next, clash] }),
      "id-reused",
      new RegExp(next.id),
    );
    expect(await storedOps(t, owner.project)).toHaveLength(1);
  });

  test("ops of one project never collide with equal ids in another", async () => {
    const t = makeBackend();
    const a = await createProject(t);
    const b = await createProject(t);
    const opA = makeSetOp({ ...a, replica: REPLICA_B, value: "A" });
    const opB = makeSetOp({ ...b, replica: REPLICA_B, value: "B" });
    expect(opA.id).toBe(opB.id);
    await t.mutation(api.ops.push, { token: a.token, project: a.project, ops: [opA] });
    expect((await t.mutation(api.ops.push, { token: b.token, project: b.project, ops: [opB] })).head).toBe(1);
  });
});
