/**
 * A minimal in-memory SyncableReplica for engine unit tests that need no
 * SQLite (the convergence and crash suites use real replicas).
 */
import { makeOpBuilder } from "../../src/op/op-builder.js";
import type { Op } from "../../src/op/op.js";
import type { IngestResult, SyncCursor, SyncableReplica } from "../../src/sync/syncable-replica.js";

export interface FakeReplica extends SyncableReplica {
  readonly edit: (n?: number) => ReadonlyArray<Op>;
  readonly ids: () => ReadonlySet<string>;
  readonly quarantined: () => ReadonlyArray<unknown>;
  /** Calls made by the engine, by method. */
  readonly calls: Record<string, number>;
}

export function makeFakeReplica(options: { project?: string; replica: string; now?: () => number }): FakeReplica {
  const project = options.project ?? "project-1";
  const build = makeOpBuilder({ project, replica: options.replica, ...(options.now ? { now: options.now } : {}) });
  const log = new Map<string, Op>();
  const own: Array<Op> = [];
  const acked = new Set<string>();
  const quarantine: Array<unknown> = [];
  const listeners = new Set<() => void>();
  const calls: Record<string, number> = {};
  let cursor: SyncCursor | undefined;
  const count = (m: string) => void (calls[m] = (calls[m] ?? 0) + 1);
  const pending = () => own.filter((op) => !acked.has(op.id));

  return {
    project,
    replica: options.replica,
    calls,
    edit: (n = 1) => {
      const made = Array.from({ length: n }, () => build({ target: { type: "code", id: crypto.randomUUID() } }));
      for (const op of made) {
        log.set(op.id, op);
        own.push(op);
      }
      for (const l of [...listeners]) l();
      return made;
    },
    ids: () => new Set(log.keys()),
    quarantined: () => quarantine,
    outbox: (limit) => (count("outbox"), pending().slice(0, limit)),
    outboxSize: () => (count("outboxSize"), pending().length),
    markAcked: (ids) => {
      count("markAcked");
      for (const id of ids) if (log.has(id)) acked.add(id);
    },
    syncCursor: () => cursor,
    ingestPage: (raws, next): IngestResult => {
      count("ingestPage");
      if (cursor !== undefined && cursor.identity.stream !== next.identity.stream) throw new Error("wrong stream");
      let applied = 0;
      let duplicates = 0;
      let quarantined = 0;
      for (const raw of raws) {
        const op = raw as Partial<Op> | null;
        if (op === null || typeof op !== "object" || typeof op.id !== "string" || op.project !== project) {
          quarantine.push(raw);
          quarantined += 1;
        } else if (log.has(op.id)) {
          duplicates += 1;
          if (op.replica === options.replica) acked.add(op.id);
        } else {
          log.set(op.id, op as Op);
          applied += 1;
        }
      }
      cursor = { identity: next.identity, seq: Math.max(next.seq, cursor?.seq ?? 0) };
      return { applied, duplicates, quarantined };
    },
    resetSync: () => {
      cursor = undefined;
      acked.clear();
    },
    onLocalOps: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
