// @vitest-environment edge-runtime
import { afterEach, describe, expect, test, vi } from "vitest";
import { api } from "./_generated/api.js";
import { createProject, expectRefusal, makeBackend } from "./test.setup.js";

describe("projects:create", () => {
  test("makes the creator the owner and returns a token and a random stream id", async () => {
    const t = makeBackend();
    const a = await t.mutation(api.projects.create, { project: "p1", name: "Interviews", actor: "alice" });
    const b = await t.mutation(api.projects.create, { project: "p2", name: "Interviews", actor: "alice" });
    expect(a.token).toMatch(/^[0-9a-f]{64}$/);
    expect(a.stream).toMatch(/^[0-9a-f]{32}$/);
    expect(b.token).not.toBe(a.token);
    expect(b.stream).not.toBe(a.stream);
    const members = await t.query(api.members.list, { token: a.token, project: "p1" });
    expect(members).toEqual([{ actor: "alice", role: "owner", revoked: false }]);
  });

  test("stores only a hash of the token", async () => {
    const t = makeBackend();
    const { token } = await t.mutation(api.projects.create, { project: "p1", name: "Interviews", actor: "alice" });
    const rows = await t.run(async (ctx) => ctx.db.query("members").collect());
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  test("refuses a project id that already exists", async () => {
    const t = makeBackend();
    await t.mutation(api.projects.create, { project: "p1", name: "Interviews", actor: "alice" });
    await expectRefusal(
      t.mutation(api.projects.create, { project: "p1", name: "Other", actor: "mallory" }),
      "invalid-argument",
      /p1 already exists/,
    );
    const projects = await t.run(async (ctx) => ctx.db.query("projects").collect());
    expect(projects.map((p) => p.name)).toEqual(["Interviews"]);
  });

  test("refuses blank or overlong arguments", async () => {
    const t = makeBackend();
    await expectRefusal(t.mutation(api.projects.create, { project: " ", name: "x", actor: "a" }), "invalid-argument", /project/);
    await expectRefusal(t.mutation(api.projects.create, { project: "p", name: "", actor: "a" }), "invalid-argument", /name/);
    await expectRefusal(t.mutation(api.projects.create, { project: "p", name: "x", actor: "a".repeat(201) }), "invalid-argument", /actor/);
  });
});

describe("projects:create with a creation key (QC_PROJECT_CREATION_KEY)", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  test("a deployment that sets the key refuses a missing or wrong key, saying what to do, and creates nothing", async () => {
    vi.stubEnv("QC_PROJECT_CREATION_KEY", "the-deployment-key");
    const t = makeBackend();
    const missing = await expectRefusal(
      t.mutation(api.projects.create, { project: "p1", name: "Interviews", actor: "alice" }),
      "creation-key-refused",
      /requires a project creation key.*ask its administrator/,
    );
    const wrong = await expectRefusal(
      t.mutation(api.projects.create, { project: "p1", name: "Interviews", actor: "alice", key: "a-guess" }),
      "creation-key-refused",
      /not this deployment's/,
    );
    for (const message of [missing, wrong]) expect(message).not.toContain("the-deployment-key");
    expect(await t.run(async (ctx) => ctx.db.query("projects").collect())).toEqual([]);
    expect(await t.run(async (ctx) => ctx.db.query("members").collect())).toEqual([]);
  });

  test("the right key creates the project", async () => {
    vi.stubEnv("QC_PROJECT_CREATION_KEY", "the-deployment-key");
    const t = makeBackend();
    const { token } = await t.mutation(api.projects.create, {
      project: "p1",
      name: "Interviews",
      actor: "alice",
      key: "the-deployment-key",
    });
    expect(await t.query(api.members.list, { token, project: "p1" })).toEqual([{ actor: "alice", role: "owner", revoked: false }]);
  });

  test("unset or empty, no key is needed (and one given is ignored)", async () => {
    const t = makeBackend();
    vi.stubEnv("QC_PROJECT_CREATION_KEY", "");
    await t.mutation(api.projects.create, { project: "p1", name: "Interviews", actor: "alice" });
    vi.stubEnv("QC_PROJECT_CREATION_KEY", undefined);
    expect(process.env["QC_PROJECT_CREATION_KEY"]).toBeUndefined();
    await t.mutation(api.projects.create, { project: "p2", name: "Interviews", actor: "alice", key: "anything" });
    expect((await t.run(async (ctx) => ctx.db.query("projects").collect())).map((p) => p.project)).toEqual(["p1", "p2"]);
  });
});

describe("ops:head", () => {
  test("names the project and its stream, head 0 when empty", async () => {
    const t = makeBackend();
    const owner = await createProject(t);
    const head = await t.query(api.ops.head, { token: owner.token, project: owner.project });
    expect(head).toEqual({ project: owner.project, stream: owner.stream, head: 0 });
  });

  test("refuses a token of another project and an unknown token", async () => {
    const t = makeBackend();
    const a = await createProject(t);
    const b = await createProject(t);
    const refused = await expectRefusal(t.query(api.ops.head, { token: b.token, project: a.project }), "token-refused");
    expect(refused).not.toContain(b.stream);
    expect(refused).not.toContain(a.stream);
    await expectRefusal(t.query(api.ops.head, { token: "0".repeat(64), project: a.project }), "token-refused");
    await expectRefusal(t.query(api.ops.head, { token: "", project: a.project }), "token-refused");
  });
});
