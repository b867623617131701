/**
 * Conformance harnesses for the Convex-side remotes: convex-test called
 * directly, the local protocol backend with the real Convex clients, and a
 * real deployment given by URL and one project's owner token.
 */
import { ConvexHttpClient } from "convex/browser";
import { makeConvexRemote } from "../convex-remote.js";
import { startLocalBackend } from "../local-backend/server.js";
import { qcApi } from "../qc-api.js";
import { makeConvexTestRemote, makeQcConvexTest, type ConvexTestCaller } from "./convex-test-remote.js";
import type { ConformanceHarness, ConformanceMember } from "./remote-conformance.js";

/** Fresh projects on a fresh convex-test instance of /convex. */
export async function makeConvexTestHarness(): Promise<ConformanceHarness> {
  const t = await makeQcConvexTest();
  return {
    project: () => createProject((args) => t.mutation(qcApi.projects.create, args)),
    invite: (owner, actor, role) => invite((args) => t.mutation(qcApi.members.invite, args), owner, actor, role),
    remote: (member) => makeConvexTestRemote({ t: t as ConvexTestCaller, ...member }),
    dispose: async () => undefined,
  };
}

/** Fresh projects on a local protocol backend (ephemeral port), through ConvexRemote. */
export async function makeLocalBackendHarness(): Promise<ConformanceHarness> {
  const backend = await startLocalBackend();
  const http = new ConvexHttpClient(backend.url, { logger: false });
  return {
    project: () => createProject((args) => http.mutation(qcApi.projects.create, args)),
    invite: (owner, actor, role) => invite((args) => http.mutation(qcApi.members.invite, args), owner, actor, role),
    remote: (member) => makeConvexRemote({ url: backend.url, ...member, timeoutMs: 10_000 }),
    outage: { stop: backend.stop, start: backend.restart },
    dispose: backend.stop,
  };
}

export interface RealConvexTarget {
  readonly url: string;
  readonly project: string;
  /** An owner's token of `project`. */
  readonly token: string;
  /** That owner's actor; default: the project's only owner. */
  readonly actor?: string;
}

/** One shared, long-lived project on a real deployment (its stream keeps growing). */
export async function makeRealConvexHarness(target: RealConvexTarget): Promise<ConformanceHarness> {
  const http = new ConvexHttpClient(target.url, { logger: false });
  const actor = target.actor ?? (await soleOwner(http, target));
  const owner: ConformanceMember = { project: target.project, token: target.token, actor };
  return {
    project: () => Promise.resolve(owner),
    invite: (from, newActor, role) => invite((args) => http.mutation(qcApi.members.invite, args), from, newActor, role),
    remote: (member) => makeConvexRemote({ url: target.url, ...member }),
    dispose: async () => undefined,
  };
}

type CreateArgs = { project: string; name: string; actor: string };
type InviteArgs = { token: string; project: string; actor: string; role: "editor" | "viewer" };

async function createProject(create: (args: CreateArgs) => Promise<{ token: string }>): Promise<ConformanceMember> {
  const project = `conformance-${crypto.randomUUID()}`;
  const actor = "owner";
  const { token } = await create({ project, name: "Conformance", actor });
  return { project, actor, token };
}

async function invite(
  call: (args: InviteArgs) => Promise<{ token: string }>,
  owner: ConformanceMember,
  actor: string,
  role: "editor" | "viewer",
): Promise<ConformanceMember> {
  const { token } = await call({ token: owner.token, project: owner.project, actor, role });
  return { project: owner.project, actor, token };
}

async function soleOwner(http: ConvexHttpClient, target: RealConvexTarget): Promise<string> {
  const owners = (await http.query(qcApi.members.list, { token: target.token, project: target.project })).filter(
    (m) => m.role === "owner" && !m.revoked,
  );
  const [only] = owners;
  if (owners.length !== 1 || only === undefined) {
    throw new Error(`project ${target.project} has ${owners.length} owners: set QC_TEST_ACTOR to the token's actor`);
  }
  return only.actor;
}
