// @vitest-environment edge-runtime
import { canonicalJson } from "@qc/core/op";
import { describe, expect, test } from "vitest";
import { api } from "./_generated/api.js";
import { PULL_DEFAULT_LIMIT, PULL_MAX_LIMIT } from "./lib/limits.js";
import { createProject, expectRefusal, makeBackend, makeSetOp, makeSetOps, makeTextOp, type Owner } from "./test.setup.js";

const canonical = (ops: ReadonlyArray<unknown>) => ops.map((op) => canonicalJson(op));

async function pushAll(t: ReturnType<typeof makeBackend>, owner: Owner, ops: ReadonlyArray<unknown>) {
  for (let i = 0; i < ops.length; i += 500) {
    await t.mutation(api.ops.push, { token: owner.token, project: owner.project, ops: ops.slice(i, i + 500) });
  }
}

describe("ops:pull", () => {
  test("returns exactly the pushed ops, in seq order, with the head", async () => {
    const t = makeBackend();
    const owner = await createProject(t);
    const ops = [
      makeSetOp(owner),
      makeTextOp({ ...owner, counter: 1 }, "AAEC"),
      { ...makeSetOp({ ...owner, counter: 2 }), prev: [makeSetOp(owner).id] },
    ];
    await pushAll(t, owner, ops);
    const page = await t.query(api.ops.pull, { token: owner.token, project: owner.project, after: 0 });
    expect(page.head).toBe(3);
    expect(page.ops.map((o) => o.seq)).toEqual([1, 2, 3]);
    expect(canonical(page.ops.map((o) => o.op))).toEqual(canonical(ops));
    expect(page.ops.map((o) => o.op)).toEqual(ops);
    const rest = await t.query(api.ops.pull, { token: owner.token, project: owner.project, after: 2 });
    expect(rest.ops.map((o) => o.seq)).toEqual([3]);
    expect(await t.query(api.ops.pull, { token: owner.token, project: owner.project, after: 3 })).toEqual({ ops: [], head: 3 });
  });

  test("gives each op the server's receive time, beside the op and outside it, even for an op stamped long ago", async () => {
    const t = makeBackend();
    const owner = await createProject(t);
    const old = makeSetOp({ ...owner, wallMs: Date.UTC(2001, 0, 1) });
    const before = Date.now();
    await pushAll(t, owner, [old]);
    const after = Date.now();
    await pushAll(t, owner, [old]); // a re-push is acked, not re-received
    const page = await t.query(api.ops.pull, { token: owner.token, project: owner.project, after: 0 });
    expect(page.ops).toHaveLength(1);
    const [pulled] = page.ops;
    expect(pulled?.op).toEqual(old);
    expect(pulled?.receivedAt).toBeGreaterThanOrEqual(before);
    expect(pulled?.receivedAt).toBeLessThanOrEqual(after);
  });

  test("an op stored before receive times were recorded comes back without one", async () => {
    const t = makeBackend();
    const owner = await createProject(t);
    await pushAll(t, owner, [makeSetOp(owner)]);
    await t.run(async (ctx) => {
      const doc = await ctx.db.query("ops").first();
      if (doc !== null) await ctx.db.patch(doc._id, { receivedAt: undefined });
    });
    const page = await t.query(api.ops.pull, { token: owner.token, project: owner.project, after: 0 });
    expect(page.ops[0]).toEqual({ seq: 1, op: makeSetOp(owner) });
  });

  test("future ops (newer v, unknown kind, extra fields) are stored and returned unchanged", async () => {
    const t = makeBackend();
    const owner = await createProject(t);
    const base = makeSetOp(owner);
    const newerVersion = {
      ...makeSetOp({ ...owner, counter: 1 }),
      v: 2,
      hue: { deep: [1, "two", null] },
      target: { type: "memo-board", id: "m", pin: 3 },
    };
    const unknownKind = {
      ...makeSetOp({ ...owner, counter: 2 }),
      kind: "annotate",
      body: { note: "later", "weird key": [true], unicode: "ünïcode" },
    };
    const noBody = {
      v: 7,
      id: "x",
      project: owner.project,
      replica: "r",
      actor: owner.actor,
      hlc: makeSetOp({ ...owner, counter: 3 }).hlc,
      prev: "not-a-list",
    };
    const ops = [base, newerVersion, unknownKind, noBody];
    const result = await t.mutation(api.ops.push, { token: owner.token, project: owner.project, ops });
    expect(result).toEqual({ acked: ops.map((op) => op.id), head: 4 });
    const page = await t.query(api.ops.pull, { token: owner.token, project: owner.project, after: 0 });
    expect(canonical(page.ops.map((o) => o.op))).toEqual(canonical(ops));
    // Re-pushing a future op is idempotent like any other.
    expect((await t.mutation(api.ops.push, { token: owner.token, project: owner.project, ops: [unknownKind] })).head).toBe(4);
  });

  test("a future op without a readable envelope is refused", async () => {
    const t = makeBackend();
    const owner = await createProject(t);
    await expectRefusal(
      t.mutation(api.ops.push, { token: owner.token, project: owner.project, ops: [{ v: 2, id: "x", project: owner.project }] }),
      "invalid-op",
      /envelope/,
    );
    const badHlc = { ...makeSetOp(owner), v: 2, hlc: "yesterday" };
    await expectRefusal(t.mutation(api.ops.push, { token: owner.token, project: owner.project, ops: [badHlc] }), "invalid-op", /hlc/);
  });

  test("pages are bounded by limit (default 200, at most 1000)", async () => {
    const t = makeBackend();
    const owner = await createProject(t);
    await pushAll(t, owner, makeSetOps(owner, 1200));
    const pull = (args: { after: number; limit?: number }) =>
      t.query(api.ops.pull, { token: owner.token, project: owner.project, ...args });
    expect((await pull({ after: 0 })).ops).toHaveLength(PULL_DEFAULT_LIMIT);
    const seven = await pull({ after: 10, limit: 7 });
    expect(seven.ops.map((o) => o.seq)).toEqual([11, 12, 13, 14, 15, 16, 17]);
    expect(seven.head).toBe(1200);
    expect((await pull({ after: 0, limit: 5000 })).ops).toHaveLength(PULL_MAX_LIMIT);
    expect((await pull({ after: 1195, limit: 100 })).ops).toHaveLength(5);
  }, 180_000);

  test("pages are bounded by maxBytes, but always hold at least one op", async () => {
    const t = makeBackend();
    const owner = await createProject(t);
    const update = "QUJD".repeat(25_000); // ~100 kB per op
    const ops = Array.from({ length: 10 }, (_, i) => makeTextOp({ ...owner, counter: i }, update));
    await pushAll(t, owner, ops);
    const size = new TextEncoder().encode(canonicalJson(ops[0])).length;
    const pull = (after: number, maxBytes: number) =>
      t.query(api.ops.pull, { token: owner.token, project: owner.project, after, maxBytes });
    expect((await pull(0, size * 3)).ops.map((o) => o.seq)).toEqual([1, 2, 3]);
    expect((await pull(0, size * 3 - 1)).ops.map((o) => o.seq)).toEqual([1, 2]);
    expect((await pull(4, 1)).ops.map((o) => o.seq)).toEqual([5]);
    expect((await pull(0, 4 * 1024 * 1024)).ops).toHaveLength(10);
  });

  test("refuses bad arguments", async () => {
    const t = makeBackend();
    const owner = await createProject(t);
    const base = { token: owner.token, project: owner.project };
    await expectRefusal(t.query(api.ops.pull, { ...base, after: -1 }), "invalid-argument", /after/);
    await expectRefusal(t.query(api.ops.pull, { ...base, after: 1.5 }), "invalid-argument", /after/);
    await expectRefusal(t.query(api.ops.pull, { ...base, after: 0, limit: 0 }), "invalid-argument", /limit/);
    await expectRefusal(t.query(api.ops.pull, { ...base, after: 0, maxBytes: 0 }), "invalid-argument", /maxBytes/);
  });

  test("viewers pull; other projects' tokens do not", async () => {
    const t = makeBackend();
    const owner = await createProject(t);
    const other = await createProject(t, "mallory");
    await pushAll(t, owner, makeSetOps(owner, 2));
    const viewer = await t.mutation(api.members.invite, { token: owner.token, project: owner.project, actor: "vic", role: "viewer" });
    expect((await t.query(api.ops.pull, { token: viewer.token, project: owner.project, after: 0 })).ops).toHaveLength(2);
    await expectRefusal(t.query(api.ops.pull, { token: other.token, project: owner.project, after: 0 }), "token-refused");
  });
});
