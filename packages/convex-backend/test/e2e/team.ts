/**
 * A research team for the end-to-end suites: project and members created
 * through the real ConvexHttpClient, researchers with real SQLite replica
 * files and sync engines over ConvexRemote (the real ConvexClient), and a
 * record of every status each engine published.
 *
 * Waiting is always for a condition with a generous bound; nothing here
 * asserts on elapsed time.
 */
import { join } from "node:path";
import { ConvexHttpClient } from "convex/browser";
import { afterAll, beforeAll } from "vitest";
import { makeConvexRemote, qcApi, type Role } from "@qc/convex-backend";
import { startLocalBackend, type LocalBackend } from "@qc/convex-backend/testing";
import { createReplica, type Replica } from "@qc/core";
import { makeTempDir, openOrCreateReplica, type TempDir } from "@qc/core/testing";
import { startSyncEngine, type RemoteOp, type SyncEngineHandle, type SyncStatus } from "@qc/core/sync";

export interface Member {
  readonly project: string;
  readonly actor: string;
  readonly token: string;
}

export interface TeamBackend {
  /** Started by the suite's beforeAll; reading it earlier throws. */
  readonly backend: LocalBackend;
  readonly http: ConvexHttpClient;
  readonly dir: TempDir;
  /** Researchers started by the suite, stopped by its afterAll. */
  readonly running: Array<Researcher>;
}

/** One suite's local Convex-protocol backend and temp dir, started before its tests and torn down after them. */
export function useTeamBackend(tempPrefix: string): TeamBackend {
  let started: { readonly backend: LocalBackend; readonly http: ConvexHttpClient } | undefined;
  const dir = makeTempDir(tempPrefix);
  const running: Array<Researcher> = [];
  const get = () => {
    if (started === undefined) throw new Error("the team backend starts in beforeAll; use it inside a test");
    return started;
  };
  beforeAll(async () => {
    const backend = await startLocalBackend({ host: "127.0.0.1", port: 0 });
    started = { backend, http: new ConvexHttpClient(backend.url, { logger: false }) };
  });
  afterAll(async () => {
    await Promise.all(running.map((r) => r.stop()));
    await started?.backend.stop();
    dir.remove();
  });
  return {
    get backend() {
      return get().backend;
    },
    get http() {
      return get().http;
    },
    dir,
    running,
  };
}

/** Fast engine retries so an outage of a second or two heals quickly. */
export const e2eRetry = { baseDelay: "20 millis", maxDelay: "300 millis", requestTimeout: "5 seconds" } as const;

/** projects:create for `project` (the founder replica's project id); returns the owner. */
export async function createProject(http: ConvexHttpClient, project: string, actor: string): Promise<Member> {
  const { token } = await http.mutation(qcApi.projects.create, { project, name: "E2E study", actor });
  return { project, actor, token };
}

export async function invite(http: ConvexHttpClient, owner: Member, actor: string, role: Exclude<Role, "owner">): Promise<Member> {
  const { token } = await http.mutation(qcApi.members.invite, { token: owner.token, project: owner.project, actor, role });
  return { project: owner.project, actor, token };
}

/** Every op on the server (ops:pull page by page), by seq. */
export async function pullAll(http: ConvexHttpClient, member: Member): Promise<ReadonlyArray<RemoteOp>> {
  const all: Array<RemoteOp> = [];
  for (;;) {
    const after = all.at(-1)?.seq ?? 0;
    const page = await http.query(qcApi.ops.pull, { token: member.token, project: member.project, after, limit: 1000 });
    all.push(...page.ops);
    if (page.ops.length === 0 || (all.at(-1)?.seq ?? 0) >= page.head) return all;
  }
}

export interface Researcher {
  readonly member: Member;
  /** The replica open now (a new object after `reopen`). */
  readonly replica: Replica;
  /** The engine running now (a new one after `reopen`). */
  readonly engine: SyncEngineHandle;
  /** Every status the researcher's engines published, in order (the status stream). */
  readonly statuses: ReadonlyArray<SyncStatus>;
  /** Ids of the ops this replica made itself. */
  readonly ownOpIds: () => ReadonlyArray<string>;
  /** Quit and start qc again: stop the engine, close the file, reopen it, start a new engine. */
  readonly reopen: () => Promise<void>;
  /** Stop the engine (ending its ConvexClient), then close the replica. */
  readonly stop: () => Promise<void>;
}

export interface ResearcherOptions {
  readonly url: string;
  readonly dir: string;
  readonly member: Member;
  /** 16 hex; distinct leading digits (Yjs client ids come from the first 8). */
  readonly replicaId: string;
  /** The founder's replica, already open (see `openFounder`); others are opened here. */
  readonly replica?: Replica;
}

/** Open (or take) the researcher's replica and start its engine over ConvexRemote. */
export function startResearcher(options: ResearcherOptions): Researcher {
  const { member } = options;
  const open = (): Replica =>
    openOrCreateReplica(replicaPath(options.dir, member.actor, options.replicaId), {
      actor: member.actor,
      project: member.project,
      replica: options.replicaId,
      synchronous: "normal",
    });
  let replica = options.replica ?? open();
  const statuses: Array<SyncStatus> = [];
  const start = () => {
    const engine = startSyncEngine({
      replica: replica.sync,
      project: member.project,
      remote: () => makeConvexRemote({ url: options.url, project: member.project, token: member.token, timeoutMs: 5_000 }),
      retry: e2eRetry,
    });
    return { engine, unsubscribe: engine.subscribe((status) => statuses.push(status)) };
  };
  let running = start();
  const halt = async () => {
    running.unsubscribe();
    await running.engine.stop();
    replica.close();
  };
  let stopped: Promise<void> | undefined;
  return {
    member,
    get replica() {
      return replica;
    },
    get engine() {
      return running.engine;
    },
    statuses,
    ownOpIds: () =>
      replica.sync
        .opsAfter()
        .filter((op) => op.replica === replica.replica)
        .map((op) => op.id),
    reopen: async () => {
      await halt();
      replica = open();
      running = start();
    },
    stop: () => (stopped ??= halt()),
  };
}

function replicaPath(dir: string, actor: string, replicaId: string): string {
  return join(dir, `${actor}-${replicaId}.sqlite`);
}

/** Open a founder replica: a new project whose id the server's project is created with. */
export function openFounder(dir: string, actor: string, replicaId: string): Replica {
  return createReplica(replicaPath(dir, actor, replicaId), { actor, replica: replicaId, projectName: "E2E study", synchronous: "normal" });
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function describeStatus(status: SyncStatus | undefined): string {
  if (status === undefined) return "(none)";
  switch (status.state) {
    case "syncing":
      return `syncing(${status.toPush} up, ${status.toPull} down)`;
    case "error":
      return `error(${status.reason}: ${status.message})`;
    case "offline":
      return `offline(${status.message})`;
    default:
      return status.state;
  }
}
