/**
 * A simulated research team for the sync suites: researchers, each with a
 * real SQLite replica file, a sync engine and a fault schedule, editing at
 * random through the real commands.
 */
import type { Replica } from "../../src/replica.js";
import { startSyncEngine, type SyncEngineHandle } from "../../src/sync/start.js";
import type { RemoteOpStore } from "../../src/sync/remote-op-store.js";
import { makeFaultyRemote, type FaultSchedule } from "../../src/testing/faulty-remote.js";
import { openOrCreateReplica } from "../../src/testing/open-or-create.js";

export const simRetry = { baseDelay: "2 millis", maxDelay: "40 millis", requestTimeout: "300 millis" } as const;

export interface Researcher {
  readonly index: number;
  readonly replica: () => Replica;
  readonly engine: () => SyncEngineHandle;
  readonly schedule: FaultSchedule;
  readonly restart: () => Promise<void>;
  readonly stop: () => Promise<void>;
}

export interface ResearcherOptions {
  readonly index: number;
  readonly path: string;
  readonly project: string | undefined;
  readonly skewMs: number;
  readonly schedule: FaultSchedule;
  readonly connect: () => RemoteOpStore;
}

export function makeResearcher(options: ResearcherOptions): Researcher {
  // Distinct leading hex digits: Yjs client ids are taken from the first 8 (commands/read.ts).
  const replicaId = (options.index + 1).toString(16).repeat(16);
  const open = (): Replica =>
    openOrCreateReplica(options.path, {
      actor: `actor-${options.index}`,
      replica: replicaId,
      clock: () => Date.now() + options.skewMs,
      synchronous: "normal",
      ...(options.project === undefined ? {} : { project: options.project }),
    });
  let replica = open();
  const startEngine = (): SyncEngineHandle =>
    startSyncEngine({ replica: replica.sync, remote: () => makeFaultyRemote(options.connect(), options.schedule), retry: simRetry });
  let engine = startEngine();
  const stop = async (): Promise<void> => {
    await engine.stop();
    replica.close();
  };
  return {
    index: options.index,
    replica: () => replica,
    engine: () => engine,
    schedule: options.schedule,
    stop,
    restart: async () => {
      await stop();
      replica = open();
      engine = startEngine();
    },
  };
}

/** Ids of shared entities every researcher may try to edit. */
export interface Pool {
  readonly codes: Array<string>;
  readonly categories: Array<string>;
}

const COLORS = ["#112233", "#aa0000", "#00bb00", "#0000cc"];

/**
 * One random edit through the real commands. Edits of entities a replica
 * has not seen yet fail as CommandErrors: that is the researcher's UI
 * refusing, and is fine here.
 */
export function randomEdit(replica: Replica, pool: Pool, pick: number, what: number): void {
  // Mostly entities this replica knows (its own or synced), sometimes any (may fail).
  const known = (type: "code" | "category"): ReadonlyArray<string> =>
    pick % 5 === 0
      ? type === "code"
        ? pool.codes
        : pool.categories
      : replica.read.entities(type, { includeDeleted: true }).map((e) => e.id);
  const codes = known("code");
  const categories = known("category");
  const code = codes.length === 0 ? undefined : codes[pick % codes.length];
  const category = categories.length === 0 ? undefined : categories[pick % categories.length];
  try {
    switch (what % 8) {
      case 0:
        pool.codes.push(replica.commands.createCode({ name: `code ${pick % 13}`, color: COLORS[pick % 4]! }));
        return;
      case 1:
        pool.categories.push(replica.commands.createCategory({ name: `category ${pick % 5}`, color: COLORS[pick % 4]! }));
        return;
      case 2:
        if (code !== undefined) replica.commands.rename("code", code, `renamed ${pick % 7}`);
        return;
      case 3:
        if (code !== undefined) replica.commands.recolour("code", code, COLORS[(pick >> 2) % 4]!);
        return;
      case 4:
        if (code !== undefined) replica.commands.move("code", code, pick % 3 === 0 ? null : (category ?? null));
        return;
      case 5:
        if (category !== undefined && categories.length > 1) {
          replica.commands.move("category", category, categories[(pick >> 3) % categories.length]!);
        }
        return;
      case 6:
        if (code !== undefined) (pick % 2 === 0 ? replica.commands.remove : replica.commands.restore)("code", code);
        return;
      default:
        if (code !== undefined) replica.commands.editMemo("code", code, { insert: `m${pick % 10}`, at: 0 });
    }
  } catch (error) {
    if ((error as { _tag?: unknown })._tag !== "CommandError") throw error;
  }
}

/** Rejects with `what` if `promise` takes longer than `ms` (a hang is a failure, not a wait). */
export function within<A>(ms: number, what: string, promise: Promise<A>): Promise<A> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
