/**
 * Conformance harnesses for the Convex-side remotes: convex-test called
 * directly, the local protocol backend with the real Convex clients, and a
 * real deployment given by URL (fresh projects, or one shared project).
 */
import { ConvexHttpClient } from "convex/browser";
import { makeConvexRemote } from "../convex-remote.js";
import { startLocalBackend } from "../local-backend/server.js";
import { qcApi } from "../qc-api.js";
import { makeConvexTestRemote, makeQcConvexTest } from "./convex-test-remote.js";
import type { ConformanceHarness, ConformanceMember } from "./remote-conformance.js";

/** Fresh projects on a fresh convex-test instance of /convex. */
export async function makeConvexTestHarness(): Promise<ConformanceHarness> {
  const t = await makeQcConvexTest();
  return {
    project: () => createProject((args) => t.mutation(qcApi.projects.create, args)),
    invite: (owner, actor, role) => invite((args) => t.mutation(qcApi.members.invite, args), owner, actor, role),
    remote: (member) => makeConvexTestRemote({ t, ...member }),
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
  /**
   * A project to share between cases, with an owner's token (and that owner's actor;
   * default: the project's only owner). Without them, each case creates a fresh
   * project with projects:create.
   */
  readonly shared?: { readonly project: string; readonly token: string; readonly actor?: string };
}

/** A real deployment of /convex (cloud, self-hosted, or anything speaking the protocol). */
export async function makeRealConvexHarness(target: RealConvexTarget): Promise<ConformanceHarness> {
  const http = new ConvexHttpClient(target.url, { logger: false });
  const shared = target.shared === undefined ? undefined : await sharedOwner(http, target.shared);
  return {
    project: () => (shared !== undefined ? Promise.resolve(shared) : createProject((args) => http.mutation(qcApi.projects.create, args))),
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

async function sharedOwner(http: ConvexHttpClient, shared: NonNullable<RealConvexTarget["shared"]>): Promise<ConformanceMember> {
  const { project, token } = shared;
  if (shared.actor !== undefined) return { project, token, actor: shared.actor };
  const owners = (await http.query(qcApi.members.list, { token, project })).filter((m) => m.role === "owner" && !m.revoked);
  const [only] = owners;
  if (owners.length !== 1 || only === undefined) {
    throw new Error(`project ${project} has ${owners.length} owners: set QC_TEST_ACTOR to the token's actor`);
  }
  return { project, token, actor: only.actor };
}
