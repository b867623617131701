/**
 * Sync wiring: one SyncEngine over ConvexRemote for a project file, in the
 * one process that holds the sync lease (sync-lease.ts).
 *
 * - Settings apply live: `applySettings` re-reads them and calls the
 *   engine's enable / disable / configure; it runs after this process
 *   changes a setting and whenever another process commits to the file.
 * - Other processes' edits: the file's change watch (change-watch.ts) tells
 *   us another connection committed; the engine is then told of local ops,
 *   so an edit made by `qc` in another terminal is pushed within a second
 *   without a restart.
 * - The token is read at connect time and never leaves the remote.
 */
import { SyncError, type Replica, type RetryOptions, type SyncableReplica, type SyncEngineHandle, type SyncStatus } from "@qc/core";
import { changeWatch } from "./change-watch.js";
import { appError } from "./errors.js";
import { lazyConvexEngine } from "./lazy-engine.js";
import { effectiveUrl, readSettings, writeSettings, type Environment } from "./settings.js";
import { acquireLease, publishStatus, releaseLease } from "./sync-lease.js";

export interface ProjectSync {
  readonly status: () => SyncStatus;
  readonly subscribe: (listener: (status: SyncStatus) => void) => () => void;
  /** Resolves when the outbox is empty and everything up to the server head is pulled. */
  readonly syncNow: () => Promise<void>;
  /**
   * syncNow, but fails with the offline reason (a SyncError "unreachable")
   * once the engine has been offline for `offlineMs` without a break.
   */
  readonly syncOnce: (offlineMs: number) => Promise<void>;
  readonly applySettings: () => Promise<void>;
  readonly stop: () => Promise<void>;
}

export interface ProjectSyncOptions {
  readonly env: Environment;
  readonly retry?: Partial<RetryOptions>;
}

interface Wanted {
  readonly enabled: boolean;
  readonly url: string | undefined;
  readonly token: string | undefined;
}

export function startProjectSync(replica: Replica, options: ProjectSyncOptions): ProjectSync {
  const lease = acquireLease(replica);
  if (!lease.ours) {
    throw appError(
      "sync-busy",
      `another qc process (pid ${lease.holder.pid}) is syncing this project file; it keeps syncing your edits from here too`,
    );
  }
  const watched = watchOtherProcesses(replica);
  let wanted = readWanted(replica, options.env);
  const engine = lazyConvexEngine({
    replica: watched.sync,
    project: replica.project,
    token: () => wanted.token ?? "",
    ...(configured(wanted) ? { url: wanted.url } : {}),
    enabled: wanted.enabled,
    ...(options.retry === undefined ? {} : { retry: options.retry }),
  });
  const unpublish = engine.subscribe((status) => recordStatus(replica, status));
  let applying = Promise.resolve();
  const applySettings = (): Promise<void> =>
    (applying = applying.then(async () => {
      const next = readWanted(replica, options.env);
      const before = wanted;
      wanted = next;
      await reconcile(engine, before, next);
    }));
  const stopWatch = watched.onOtherCommit(() => void applySettings());
  return {
    status: engine.status,
    subscribe: engine.subscribe,
    syncNow: engine.syncNow,
    syncOnce: (offlineMs) => untilSyncedOrOffline(engine, offlineMs),
    applySettings,
    stop: async () => {
      stopWatch();
      unpublish();
      await applying;
      await engine.stop();
      releaseLease(replica);
    },
  };
}

function untilSyncedOrOffline(engine: SyncEngineHandle, offlineMs: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const unsubscribe = engine.subscribe((status) => {
      if (status.state !== "offline") {
        clearTimeout(timer);
        timer = undefined;
      } else if (timer === undefined) {
        const message = `${status.message} (gave up after ${Math.round(offlineMs / 1000)} s offline; run qc sync again later)`;
        timer = setTimeout(() => settle(() => reject(new SyncError({ reason: "unreachable", message, retryable: true }))), offlineMs);
      }
    });
    const settle = (fn: () => void) => {
      clearTimeout(timer);
      unsubscribe();
      fn();
    };
    engine.syncNow().then(
      () => settle(resolve),
      (error: unknown) => settle(() => reject(error)),
    );
  });
}

async function reconcile(engine: SyncEngineHandle, before: Wanted, next: Wanted): Promise<void> {
  if (!next.enabled) {
    if (before.enabled) await engine.disable();
    return;
  }
  if (configured(next) && (next.url !== before.url || next.token !== before.token || !configured(before))) {
    await engine.configure({ url: next.url });
  }
  if (!before.enabled) await engine.enable();
}

function readWanted(replica: Replica, env: Environment): Wanted {
  const settings = readSettings(replica);
  return { enabled: settings.cloudSyncEnabled, url: effectiveUrl(settings, env), token: settings.token };
}

function configured(w: Wanted): w is Wanted & { url: string; token: string } {
  return w.url !== undefined && w.token !== undefined;
}

function recordStatus(replica: Replica, status: SyncStatus): void {
  const { state } = status;
  if (state === "synced") writeSettings(replica, { lastSyncedAt: status.at.toISOString() });
  publishStatus(replica, status.state === "synced" ? { state, at: status.at.toISOString() } : { ...status });
}

/** The replica's sync surface, with "local ops" also fired when another process commits. */
function watchOtherProcesses(replica: Replica): { sync: SyncableReplica; onOtherCommit: (fn: () => void) => () => void } {
  const { onCommit } = changeWatch(replica);
  const sync: SyncableReplica = {
    ...replica.sync,
    onLocalOps: (listener) => {
      const own = replica.sync.onLocalOps(listener);
      const other = onCommit(listener);
      return () => {
        own();
        other();
      };
    },
  };
  return { sync, onOtherCommit: onCommit };
}
