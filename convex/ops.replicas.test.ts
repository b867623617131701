// @vitest-environment edge-runtime
/**
 * ops:push binds a replica id to the first member who pushes with it
 * (lib/replicas.ts): another member cannot squat it.
 */
import { describe, expect, test } from "vitest";
import { api } from "./_generated/api.js";
import { REPLICA_A, REPLICA_B, createProject, expectRefusal, makeBackend, makeSetOp, storedOps } from "./test.setup.js";

const REPLICA_C = "cccccccccccccccc";

/** A project owned by Alice, with Bob invited as an editor. */
async function aliceAndBob() {
  const t = makeBackend();
  const alice = await createProject(t);
  const invited = await t.mutation(api.members.invite, { token: alice.token, project: alice.project, actor: "bob", role: "editor" });
  return { t, alice, bob: { ...alice, actor: "bob", ...invited } };
}

/** A deployment from before bindings existed: ops stored, no replica bound. */
async function forgetBindings(t: ReturnType<typeof makeBackend>): Promise<void> {
  await t.run(async (ctx) => {
    for (const row of await ctx.db.query("replicas").collect()) await ctx.db.delete(row._id);
  });
}

/** Which member each replica id is bound to. */
async function bindings(t: ReturnType<typeof makeBackend>) {
  const rows = await t.run(async (ctx) => ctx.db.query("replicas").collect());
  return rows.map(({ replica, actor }) => ({ replica, actor }));
}

describe("ops:push replica ids", () => {
  test("another member's op under a bound replica id is refused (replica-claimed), and the owner keeps pushing", async () => {
    const { t, alice, bob } = await aliceAndBob();
    await t.mutation(api.ops.push, { token: alice.token, project: alice.project, ops: [makeSetOp({ ...alice, replica: REPLICA_A })] });

    // Bob stamps an op with Alice's replica id, a little ahead of her clock.
    const ahead = Date.now() + 4 * 60_000;
    const squat = makeSetOp({ ...bob, replica: REPLICA_A, wallMs: ahead });
    await expectRefusal(
      t.mutation(api.ops.push, { token: bob.token, project: alice.project, ops: [makeSetOp({ ...bob, replica: REPLICA_B }), squat] }),
      "replica-claimed",
      new RegExp(`${squat.id}.*replica id ${REPLICA_A}.*another member`),
    );
    expect((await storedOps(t, alice.project)).map((row) => row.actor)).toEqual(["alice"]);

    // Alice's own op with the very id Bob tried to take is stored.
    const own = makeSetOp({ ...alice, replica: REPLICA_A, wallMs: ahead, value: "Alice's" });
    expect(own.id).toBe(squat.id);
    expect((await t.mutation(api.ops.push, { token: alice.token, project: alice.project, ops: [own] })).acked).toEqual([own.id]);
  });

  test("the first member to push with a replica id owns it; a refused batch binds nothing", async () => {
    const { t, alice, bob } = await aliceAndBob();
    const stored = makeSetOp({ ...alice, replica: REPLICA_C, value: "first" });
    await t.mutation(api.ops.push, { token: alice.token, project: alice.project, ops: [stored] });
    // Refused as id-reused, so REPLICA_A stays unbound...
    await expectRefusal(
      t.mutation(api.ops.push, {
        token: alice.token,
        project: alice.project,
        ops: [makeSetOp({ ...alice, replica: REPLICA_A }), { ...stored, body: { field: "name", value: "other" } }],
      }),
      "id-reused",
    );
    expect(await bindings(t)).toEqual([{ replica: REPLICA_C, actor: "alice" }]);
    // ...and Bob, pushing with it first, owns it.
    await t.mutation(api.ops.push, { token: bob.token, project: alice.project, ops: [makeSetOp({ ...bob, replica: REPLICA_A })] });
    await expectRefusal(
      t.mutation(api.ops.push, {
        token: alice.token,
        project: alice.project,
        ops: [makeSetOp({ ...alice, replica: REPLICA_A, counter: 1 })],
      }),
      "replica-claimed",
    );
  });

  test("a replica id whose ops were stored before bindings existed belongs to the actor of its earliest op", async () => {
    const { t, alice, bob } = await aliceAndBob();
    await t.mutation(api.ops.push, { token: alice.token, project: alice.project, ops: [makeSetOp({ ...alice, replica: REPLICA_A })] });
    // As on a deployment upgraded from before the replicas table: the op is stored, its binding is not.
    await forgetBindings(t);
    await expectRefusal(
      t.mutation(api.ops.push, { token: bob.token, project: alice.project, ops: [makeSetOp({ ...bob, replica: REPLICA_A, counter: 1 })] }),
      "replica-claimed",
    );
    await t.mutation(api.ops.push, {
      token: alice.token,
      project: alice.project,
      ops: [makeSetOp({ ...alice, replica: REPLICA_A, counter: 1 })],
    });
    expect(await bindings(t)).toEqual([{ replica: REPLICA_A, actor: "alice" }]);
  });

  test("a replica id whose earliest stored op is the member's agent's (before bindings existed) belongs to the member", async () => {
    const { t, alice, bob } = await aliceAndBob();
    const agent = makeSetOp({ ...alice, actor: `agent:${alice.actor}`, replica: REPLICA_A });
    await t.mutation(api.ops.push, { token: alice.token, project: alice.project, ops: [agent] });
    await forgetBindings(t);
    // Alice's own op and her agent's next op in that replica are hers...
    const own = makeSetOp({ ...alice, replica: REPLICA_A, counter: 1 });
    const next = makeSetOp({ ...alice, actor: `agent:${alice.actor}`, replica: REPLICA_A, counter: 2 });
    expect((await t.mutation(api.ops.push, { token: alice.token, project: alice.project, ops: [own, next] })).acked).toEqual([
      own.id,
      next.id,
    ]);
    expect(await bindings(t)).toEqual([{ replica: REPLICA_A, actor: "alice" }]);
    // ...and still not Bob's.
    await expectRefusal(
      t.mutation(api.ops.push, { token: bob.token, project: alice.project, ops: [makeSetOp({ ...bob, replica: REPLICA_A, counter: 3 })] }),
      "replica-claimed",
    );
  });

  test("a replica id is bound per project: the same id in another project is someone else's to claim", async () => {
    const t = makeBackend();
    const alice = await createProject(t);
    const mallory = await createProject(t, "mallory");
    await t.mutation(api.ops.push, {
      token: mallory.token,
      project: mallory.project,
      ops: [makeSetOp({ ...mallory, replica: REPLICA_A })],
    });
    expect(
      (await t.mutation(api.ops.push, { token: alice.token, project: alice.project, ops: [makeSetOp({ ...alice, replica: REPLICA_A })] }))
        .head,
    ).toBe(1);
  });

  test("a member re-invited after a revoke still owns the replica ids pushed before", async () => {
    const t = makeBackend();
    const alice = await createProject(t);
    const first = await t.mutation(api.members.invite, { token: alice.token, project: alice.project, actor: "bob", role: "editor" });
    await t.mutation(api.ops.push, {
      token: first.token,
      project: alice.project,
      ops: [makeSetOp({ ...alice, actor: "bob", replica: REPLICA_B })],
    });
    await t.mutation(api.members.revoke, { token: alice.token, project: alice.project, actor: "bob" });
    const again = await t.mutation(api.members.invite, { token: alice.token, project: alice.project, actor: "bob", role: "editor" });
    const next = makeSetOp({ ...alice, actor: "bob", replica: REPLICA_B, counter: 1 });
    expect((await t.mutation(api.ops.push, { token: again.token, project: alice.project, ops: [next] })).acked).toEqual([next.id]);
  });
});
