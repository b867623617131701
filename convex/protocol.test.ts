// @vitest-environment edge-runtime
/**
 * Every function checks the caller's sync protocol version first
 * (lib/protocol.ts): a version this deployment does not serve is refused as
 * `protocol-unsupported` with a message saying which side to update.
 */
import { PROTOCOL_VERSION } from "@qc/core/op";
import { describe, test } from "vitest";
import { api } from "./_generated/api.js";
import { MIN_PROTOCOL_VERSION } from "./lib/protocol.js";
import { createProject, expectRefusal, makeBackend, makeSetOp, type Backend, type Owner } from "./test.setup.js";

type Call = (t: Backend, owner: Owner, protocol: number | undefined) => Promise<unknown>;

/** The `protocol` argument, or none (a version-1 client). */
const versioned = (protocol: number | undefined) => (protocol === undefined ? {} : { protocol });

const calls: ReadonlyArray<[string, Call]> = [
  [
    "projects:create",
    (t, _, protocol) =>
      t.mutation(api.projects.create, { ...versioned(protocol), project: `new-${Math.random()}`, name: "N", actor: "ann" }),
  ],
  [
    "members:invite",
    (t, o, protocol) =>
      t.mutation(api.members.invite, {
        ...versioned(protocol),
        token: o.token,
        project: o.project,
        actor: `m-${Math.random()}`,
        role: "viewer",
      }),
  ],
  ["members:list", (t, o, protocol) => t.query(api.members.list, { ...versioned(protocol), token: o.token, project: o.project })],
  [
    "members:revoke",
    async (t, o, protocol) => {
      const actor = `m-${Math.random()}`;
      await t.mutation(api.members.invite, { token: o.token, project: o.project, actor, role: "viewer" });
      return await t.mutation(api.members.revoke, { ...versioned(protocol), token: o.token, project: o.project, actor });
    },
  ],
  [
    "ops:push",
    (t, o, protocol) => t.mutation(api.ops.push, { ...versioned(protocol), token: o.token, project: o.project, ops: [makeSetOp(o)] }),
  ],
  ["ops:pull", (t, o, protocol) => t.query(api.ops.pull, { ...versioned(protocol), token: o.token, project: o.project, after: 0 })],
  ["ops:head", (t, o, protocol) => t.query(api.ops.head, { ...versioned(protocol), token: o.token, project: o.project })],
];

describe("the protocol argument", () => {
  test.each(calls)("%s refuses a client older than every version served: update qc", async (_, call) => {
    const t = makeBackend();
    const owner = await createProject(t);
    await expectRefusal(
      call(t, owner, MIN_PROTOCOL_VERSION - 1),
      "protocol-unsupported",
      /version 0 .*serves versions 1 to 2: update qc on this computer/,
    );
  });

  test.each(calls)("%s refuses a client newer than the deployment: deploy the current functions", async (_, call) => {
    const t = makeBackend();
    const owner = await createProject(t);
    await expectRefusal(call(t, owner, PROTOCOL_VERSION + 1), "protocol-unsupported", /newer than this deployment .*npx convex deploy/);
  });

  test.each(calls)("%s serves the current version and version 1 (no argument)", async (_, call) => {
    const t = makeBackend();
    const owner = await createProject(t);
    await call(t, owner, PROTOCOL_VERSION);
    await call(t, owner, undefined);
  });

  test("the version is checked before anything else: an old client with a bad token is told to update qc", async () => {
    const t = makeBackend();
    const owner = await createProject(t);
    await expectRefusal(t.query(api.ops.head, { protocol: 0, token: "f".repeat(64), project: owner.project }), "protocol-unsupported");
    await expectRefusal(
      t.query(api.ops.head, { protocol: 1.5, token: owner.token, project: owner.project }),
      "invalid-argument",
      /integer version/,
    );
  });
});
