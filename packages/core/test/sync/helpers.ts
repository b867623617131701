/**
 * Small helpers for the sync suites: waiting for conditions (never timing
 * assertions) and fast retry settings.
 */
import type { Replica } from "../../src/replica.js";
import { openOrCreateReplica } from "../../src/testing/open-or-create.js";
import type { SyncEngineHandle } from "../../src/sync/start.js";
import type { SyncStatus } from "../../src/sync/status.js";

export const fastRetry = { baseDelay: "5 millis", maxDelay: "50 millis", requestTimeout: "2 seconds" } as const;

/** Resolves with the first status (now or later) that satisfies `predicate`. */
export function waitForStatus(engine: SyncEngineHandle, predicate: (s: SyncStatus) => boolean, timeoutMs = 20_000): Promise<SyncStatus> {
  return new Promise((resolve, reject) => {
    let unsubscribe: (() => void) | undefined;
    let done = false;
    const timer = setTimeout(() => {
      done = true;
      unsubscribe?.();
      reject(new Error(`timed out waiting for a status; last: ${JSON.stringify(engine.status())}`));
    }, timeoutMs);
    unsubscribe = engine.subscribe((s) => {
      if (done || !predicate(s)) return;
      done = true;
      clearTimeout(timer);
      queueMicrotask(() => unsubscribe?.());
      resolve(s);
    });
  });
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A replica on a real SQLite file; replica id `n` repeated (distinct Yjs client ids). */
export function openTestReplica(path: string, n: number, options: { project?: string; clock?: () => number } = {}): Replica {
  return openOrCreateReplica(path, {
    actor: "actor-1",
    replica: n.toString(16).repeat(16),
    synchronous: "normal",
    ...(options.project === undefined ? {} : { project: options.project }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  });
}

/** `n` local edits (one op each). */
export function edit(replica: Replica, n = 1): void {
  for (let i = 0; i < n; i += 1) replica.commands.createCode({ name: `code ${i}`, color: "#112233" });
}

export const ids = (replica: Replica): ReadonlySet<string> => new Set(replica.sync.opsAfter().map((op) => op.id));
