/**
 * Idle maintenance for the long-running processes (`qc serve`, `qc sync`,
 * `qc mcp`; docs/decisions/0015): once the project has had no new op for
 * IDLE_MS, one step checkpoints the WAL (and truncates it when nothing holds
 * it) and takes the checkpoints of materialised state that are due
 * (decision 0012). Then it waits for the next op before it runs again.
 *
 * - Never while a command runs: the step runs on a tick of the file's change
 *   watch, between commands (every write is one synchronous transaction), and
 *   skips a tick while it is still busy.
 * - Idle means no new op, from here or another process (the log's last HLC
 *   did not move): not "no commit", since another process's own maintenance
 *   commits (its lease, a checkpoint row) and two processes would otherwise
 *   wake each other forever.
 * - Two processes on one file: the WAL checkpoint is safe from any
 *   connection (SQLite's checkpoint lock); `updateCheckpoints` runs under a
 *   lease (sync-lease.ts `takeLease`), so two processes never build the same
 *   checkpoint. Edits in other processes are not held up: a checkpoint is
 *   written in its own short transaction once built.
 */
import type { Replica, WalCheckpointResult } from "@qc/core";
import { changeWatch } from "./change-watch.js";
import { dropLease, takeLease } from "./sync-lease.js";

export const IDLE_MS = 5_000;
const LEASE_KEY = "maintenance_lease";

export interface MaintenanceStep {
  readonly wal: WalCheckpointResult;
  /** Checkpoints of materialised state taken; undefined when another process held the lease. */
  readonly checkpoints: number | undefined;
}

export interface IdleMaintenanceOptions {
  readonly idleMs?: number;
  /** Ops per checkpoint of materialised state (default: core's CHECKPOINT_EVERY). */
  readonly checkpointEvery?: number;
  /** Hears each step that ran (and its failure, which never stops the process). */
  readonly onStep?: (step: MaintenanceStep) => void;
  readonly onError?: (error: unknown) => void;
  readonly now?: () => number;
}

/** Runs the idle step whenever the project falls idle, until the returned stop is called. */
export function keepMaintained(replica: Replica, options: IdleMaintenanceOptions = {}): () => void {
  const now = options.now ?? Date.now;
  const idleMs = options.idleMs ?? IDLE_MS;
  let lastHlc = replica.read.lastHlc();
  let lastActivity = now();
  let due = true; // a process starts on a file that may not have been maintained
  const activity = (): void => {
    lastActivity = now();
    due = true;
  };
  const stopOwn = replica.sync.onLocalOps(activity);
  const stopTick = changeWatch(replica).onTick(() => {
    const hlc = replica.read.lastHlc();
    if (hlc !== lastHlc) {
      lastHlc = hlc;
      activity();
    }
    if (!due || now() - lastActivity < idleMs) return;
    due = false;
    try {
      options.onStep?.(maintainOnce(replica, options.checkpointEvery));
    } catch (error) {
      options.onError?.(error);
    }
  });
  return () => {
    stopTick();
    stopOwn();
  };
}

/** One step: the WAL checkpoint, then the due checkpoints of materialised state under the lease. */
export function maintainOnce(replica: Replica, checkpointEvery?: number): MaintenanceStep {
  const lease = takeLease(replica, LEASE_KEY);
  let checkpoints: number | undefined;
  if (lease.ours) {
    try {
      checkpoints = replica.updateCheckpoints(checkpointEvery);
    } finally {
      dropLease(replica, LEASE_KEY);
    }
  }
  // Last: the lease and checkpoint commits above went to the WAL too.
  return { wal: replica.checkpointWal(), checkpoints };
}
