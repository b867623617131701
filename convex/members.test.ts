// @vitest-environment edge-runtime
import { describe, expect, test } from "vitest";
import { api } from "./_generated/api.js";
import { createProject, expectRefusal, makeBackend } from "./test.setup.js";

describe("members", () => {
  test("an owner invites; the new token works for its role and is returned once", async () => {
    const t = makeBackend();
    const owner = await createProject(t);
    const { token } = await t.mutation(api.members.invite, { token: owner.token, project: owner.project, actor: "bob", role: "editor" });
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    const list = await t.query(api.members.list, { token, project: owner.project });
    expect(list).toEqual(
      expect.arrayContaining([
        { actor: "alice", role: "owner", revoked: false },
        { actor: "bob", role: "editor", revoked: false },
      ]),
    );
    expect(list).toHaveLength(2);
  });

  test("editors and viewers may list but not invite or revoke", async () => {
    const t = makeBackend();
    const owner = await createProject(t);
    for (const role of ["editor", "viewer"] as const) {
      const actor = `${role}-1`;
      const { token } = await t.mutation(api.members.invite, { token: owner.token, project: owner.project, actor, role });
      await t.query(api.members.list, { token, project: owner.project });
      await expectRefusal(
        t.mutation(api.members.invite, { token, project: owner.project, actor: "eve", role: "owner" }),
        "forbidden",
        new RegExp(role),
      );
      await expectRefusal(t.mutation(api.members.revoke, { token, project: owner.project, actor: "alice" }), "forbidden");
    }
    const list = await t.query(api.members.list, { token: owner.token, project: owner.project });
    expect(list.map((m) => m.actor).sort()).toEqual(["alice", "editor-1", "viewer-1"]);
  });

  test("a token of another project is refused, and nothing of that project leaks", async () => {
    const t = makeBackend();
    const a = await createProject(t, "alice");
    const b = await createProject(t, "mallory");
    await expectRefusal(t.query(api.members.list, { token: b.token, project: a.project }), "token-refused");
    const message = await expectRefusal(
      t.mutation(api.members.invite, { token: b.token, project: a.project, actor: "mallory", role: "owner" }),
      "token-refused",
    );
    expect(message).not.toContain("alice");
  });

  test("inviting an active member again is refused", async () => {
    const t = makeBackend();
    const owner = await createProject(t);
    await t.mutation(api.members.invite, { token: owner.token, project: owner.project, actor: "bob", role: "viewer" });
    await expectRefusal(
      t.mutation(api.members.invite, { token: owner.token, project: owner.project, actor: "bob", role: "owner" }),
      "invalid-argument",
      /bob is already a member/,
    );
  });

  test("a revoked token is refused everywhere; re-inviting gives a new token, the old stays refused", async () => {
    const t = makeBackend();
    const owner = await createProject(t);
    const { token: old } = await t.mutation(api.members.invite, {
      token: owner.token,
      project: owner.project,
      actor: "bob",
      role: "editor",
    });
    await t.mutation(api.members.revoke, { token: owner.token, project: owner.project, actor: "bob" });
    await expectRefusal(t.query(api.members.list, { token: old, project: owner.project }), "token-refused");
    await expectRefusal(t.query(api.ops.head, { token: old, project: owner.project }), "token-refused");
    await expectRefusal(t.query(api.ops.pull, { token: old, project: owner.project, after: 0 }), "token-refused");
    await expectRefusal(t.mutation(api.ops.push, { token: old, project: owner.project, ops: [] }), "token-refused");
    const list = await t.query(api.members.list, { token: owner.token, project: owner.project });
    expect(list).toContainEqual({ actor: "bob", role: "editor", revoked: true });

    const { token: fresh } = await t.mutation(api.members.invite, {
      token: owner.token,
      project: owner.project,
      actor: "bob",
      role: "viewer",
    });
    expect(await t.query(api.ops.head, { token: fresh, project: owner.project })).toMatchObject({ head: 0 });
    await expectRefusal(t.query(api.ops.head, { token: old, project: owner.project }), "token-refused");
    const after = await t.query(api.members.list, { token: owner.token, project: owner.project });
    expect(after).toContainEqual({ actor: "bob", role: "viewer", revoked: false });
    expect(after).toHaveLength(2);
  });

  test("the last owner cannot be revoked; with a second owner it can", async () => {
    const t = makeBackend();
    const owner = await createProject(t);
    await expectRefusal(
      t.mutation(api.members.revoke, { token: owner.token, project: owner.project, actor: "alice" }),
      "forbidden",
      /last owner/,
    );
    const { token: carol } = await t.mutation(api.members.invite, {
      token: owner.token,
      project: owner.project,
      actor: "carol",
      role: "owner",
    });
    await t.mutation(api.members.revoke, { token: carol, project: owner.project, actor: "alice" });
    await expectRefusal(t.query(api.ops.head, { token: owner.token, project: owner.project }), "token-refused");
    await expectRefusal(
      t.mutation(api.members.revoke, { token: carol, project: owner.project, actor: "carol" }),
      "forbidden",
      /last owner/,
    );
  });

  test("revoking someone who is not a member is not-found", async () => {
    const t = makeBackend();
    const owner = await createProject(t);
    await expectRefusal(
      t.mutation(api.members.revoke, { token: owner.token, project: owner.project, actor: "nobody" }),
      "not-found",
      /nobody/,
    );
  });
});
