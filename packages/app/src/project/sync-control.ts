/**
 * Cloud sync as a long-running front door drives it (`qc mcp`, later
 * `qc serve`): turn it on or off with a URL in one call, take the sync role
 * when nobody holds it, and "sync now" with a bound on the wait.
 *
 * - `configureCloudSync` checks the URL before it stores anything: a bad
 *   URL changes nothing.
 * - `takeSyncRole` starts the engine here only if cloud sync is on and no
 *   other process syncs the file (the single-syncer rule, sync-lease.ts).
 * - `keepSyncRole` (for servers that run until stopped) takes it now and
 *   again whenever it comes free: when the holder exits (its release is a
 *   commit the change watch sees), when it crashed (checked on each tick of
 *   the watch: the lease names a pid that is gone), or when cloud sync is
 *   turned on by another process. Only a read while someone else holds it,
 *   so waiting costs the holder nothing.
 * - `syncNowWithin` resolves with the status once the file is caught up
 *   (outbox empty, pulled to the server head), through this process's
 *   engine or, when another process syncs, by what that one publishes; it
 *   fails with "sync-timeout" after `timeoutMs`, with the status in words.
 */
import { changeWatch } from "./change-watch.js";
import { AppError, appError } from "./errors.js";
import type { Project } from "./project.js";
import type { SettingsView } from "./settings.js";
import { statusLine, type StatusView } from "./status.js";
import { statusNow, watchStatus } from "./status-stream.js";
import { otherHolder } from "./sync-lease.js";
import { checkConvexUrl } from "./url.js";

export const SYNC_NOW_TIMEOUT_MS = 30_000;

export interface CloudSyncChoice {
  readonly enabled: boolean;
  readonly convexUrl?: string | undefined;
}

export async function configureCloudSync(project: Project, choice: CloudSyncChoice): Promise<SettingsView> {
  const url = choice.convexUrl === undefined ? undefined : checkConvexUrl(choice.convexUrl);
  if (url !== undefined) await project.setConvexUrl(url);
  await project.setCloudSync(choice.enabled);
  takeSyncRole(project);
  return project.settingsView();
}

export function takeSyncRole(project: Project): void {
  // otherHolder reads; taking the lease writes, which every other process would see as a change.
  if (project.sync() !== undefined || !project.settings().cloudSyncEnabled || otherHolder(project.replica) !== undefined) return;
  try {
    project.startSync();
  } catch (error) {
    if (!(error instanceof AppError && error.reason === "sync-busy")) throw error;
  }
}

/**
 * takeSyncRole now and whenever the role comes free, until the returned stop
 * is called; `onTakeover` hears when it is taken after the first attempt.
 */
export function keepSyncRole(project: Project, onTakeover: () => void = () => undefined): () => void {
  takeSyncRole(project);
  // A tick runs right after the commit listeners, so it sees a holder's release too: one subscription is enough.
  return changeWatch(project.replica).onTick(() => {
    if (project.sync() !== undefined) return;
    takeSyncRole(project);
    if (project.sync() !== undefined) onTakeover();
  });
}

export async function syncNowWithin(project: Project, timeoutMs: number = SYNC_NOW_TIMEOUT_MS): Promise<StatusView> {
  if (!project.settings().cloudSyncEnabled) {
    throw appError(
      "not-configured",
      "cloud sync is off for this file; turn it on first (configure_cloud_sync with enabled: true, or `qc settings set cloud-sync on`)",
    );
  }
  takeSyncRole(project);
  const running = project.sync();
  const caughtUp = running === undefined ? publishedCaughtUp(project) : { done: running.syncNow(), cancel: () => undefined };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const seconds = Math.round(timeoutMs / 1000);
      reject(
        appError(
          "sync-timeout",
          `not caught up after ${seconds} s (${statusLine(statusNow(project))}); your edits are kept in this file and sync when the server is reachable: try again later`,
        ),
      );
    }, timeoutMs);
  });
  caughtUp.done.catch(() => undefined); // after a timeout nobody awaits it
  try {
    await Promise.race([caughtUp.done, timeout]);
  } finally {
    clearTimeout(timer);
    caughtUp.cancel();
  }
  return statusNow(project);
}

/** Another process syncs: caught up once it publishes "synced" and nothing waits to be pushed. */
function publishedCaughtUp(project: Project): { readonly done: Promise<void>; readonly cancel: () => void } {
  const stream = watchStatus(project);
  const isCaughtUp = (view: StatusView) => view.state === "synced" && view.toPush === 0;
  const done = new Promise<void>((resolve) => {
    if (isCaughtUp(stream.current())) return resolve();
    stream.subscribe((view) => {
      if (isCaughtUp(view)) resolve();
    });
  });
  return { done, cancel: stream.close };
}
