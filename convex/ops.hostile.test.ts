// @vitest-environment edge-runtime
/**
 * `ops:push` and `members:invite` against what a hostile or buggy member
 * sends (issue 7, items 1, 2, 3, 12): each is refused with a typed
 * ConvexError saying what is wrong, and nothing of the batch is stored.
 */
import { MAX_OP_BYTES, type Op } from "@qc/core/op";
import { describe, expect, test } from "vitest";
import { api } from "./_generated/api.js";
import { createProject, expectRefusal, makeBackend, makeSetOp, makeTextOp, storedOps, type Owner } from "./test.setup.js";

type Backend = ReturnType<typeof makeBackend>;

async function expectPushRefused(t: Backend, owner: Owner, ops: unknown[], message: RegExp): Promise<void> {
  await expectRefusal(t.mutation(api.ops.push, { token: owner.token, project: owner.project, ops }), "invalid-op", message);
  expect(await storedOps(t, owner.project)).toHaveLength(0);
}

function nested(levels: number): unknown {
  let value: unknown = "x";
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
}

describe("ops:push refuses hostile ops", () => {
  test("a text op whose update is valid base64 but not a Yjs update (with a good op in the batch)", async () => {
    const t = makeBackend();
    const owner = await createProject(t);
    const bad: Op = { ...makeTextOp({ ...owner, counter: 1 }, ""), body: { field: "memo", update: "AQID" } } as Op;
    await expectPushRefused(t, owner, [makeSetOp(owner), bad], new RegExp(`${bad.id}: body.update: not a Yjs text update`));
  });

  test("a register value nested 1,000 levels (deeper ones overflow Convex's own convexToJson before the call): refused as too deep", async () => {
    const t = makeBackend();
    const owner = await createProject(t);
    const deep = { ...makeSetOp(owner), body: { field: "name", value: nested(1000) } };
    await expectPushRefused(t, owner, [deep], /nested more than 64 levels deep/);
  });

  test("a 1.2 MB target id, 900 prev ids of 1.3 KB, a future op with a 1.2 MB extra field: refused as too large", async () => {
    const t = makeBackend();
    const owner = await createProject(t);
    const tooLarge = new RegExp(`more than the ${MAX_OP_BYTES} allowed`);
    await expectPushRefused(t, owner, [{ ...makeSetOp(owner), target: { type: "code", id: "x".repeat(1_200_000) } }], tooLarge);
    await expectPushRefused(t, owner, [{ ...makeSetOp(owner), prev: new Array<string>(900).fill("p".repeat(1300)) }], tooLarge);
    await expectPushRefused(t, owner, [{ ...makeSetOp(owner), v: 2, notes: "n".repeat(1_200_000) }], tooLarge);
  });

  test("a target id of 300 chars and 101 prev ids: refused with the bound", async () => {
    const t = makeBackend();
    const owner = await createProject(t);
    await expectPushRefused(
      t,
      owner,
      [{ ...makeSetOp(owner), target: { type: "code", id: "x".repeat(300) } }],
      /target.id: expected at most 256 characters, got 300/,
    );
    await expectPushRefused(
      t,
      owner,
      [{ ...makeSetOp(owner), prev: new Array<string>(101).fill("p") }],
      /prev: expected at most 100 op ids, got 101/,
    );
  });
});

describe("actor names", () => {
  test("an op whose actor carries a bidi override is refused by the decoder, before the token's actor is compared", async () => {
    const t = makeBackend();
    const owner = await createProject(t);
    await expectPushRefused(t, owner, [makeSetOp({ ...owner, actor: "alice\u202E" })], /actor: the actor name contains a bidi control/);
  });

  test("invite refuses control, bidi and invisible characters, and normalises to NFC", async () => {
    const t = makeBackend();
    const owner = await createProject(t);
    const invite = (actor: string) => t.mutation(api.members.invite, { token: owner.token, project: owner.project, actor, role: "editor" });
    for (const actor of ["bob\u202Eevil", "\u2066bob", "bo\u200Bb", "bob\u0007"]) {
      await expectRefusal(invite(actor), "invalid-argument", /actor: the actor name contains/);
    }
    await invite("Jose\u0301");
    await expectRefusal(invite("Jos\u00E9"), "invalid-argument", /already a member/);
    const list = await t.query(api.members.list, { token: owner.token, project: owner.project });
    expect(list.map((m) => m.actor).sort()).toEqual(["Jos\u00E9", "alice"]);
    await t.mutation(api.members.revoke, { token: owner.token, project: owner.project, actor: "Jose\u0301" });
  });

  test("projects:create refuses an owner name the op decoder would refuse", async () => {
    const t = makeBackend();
    await expectRefusal(
      t.mutation(api.projects.create, { project: "p-bidi", name: "Study", actor: "alice\u2067" }),
      "invalid-argument",
      /bidi control/,
    );
  });
});
