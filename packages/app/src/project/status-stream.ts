/**
 * The project's sync status as one stream (DESIGN.md §9), for the front
 * doors that show it live (the MCP resource qc://sync/status; SSE later).
 * A view is sent whenever it differs from the last one sent, from three
 * sources: this process's engine (when it syncs here), this process's own
 * edits (ops waiting to be pushed), and other processes' commits to the
 * file (the status the syncing process publishes, settings changed by
 * `qc settings`), seen through the file's change watch (change-watch.ts),
 * whose ticks also notice the engine starting or stopping in this process.
 */
import type { Project } from "./project.js";
import { changeWatch } from "./change-watch.js";
import type { ProjectSync } from "./project-sync.js";
import { viewStatus, type StatusView } from "./status.js";

export interface StatusStream {
  /** The status now: never undefined (see `statusNow`). */
  readonly current: () => StatusView;
  /** Calls `listener` on every change (not with the current view); returns an unsubscribe. */
  readonly subscribe: (listener: (view: StatusView) => void) => () => void;
  readonly close: () => void;
}

/** The status, also when cloud sync is on but no process syncs the file (state "offline", with what to do). */
export function statusNow(project: Project): StatusView {
  return (
    project.status() ??
    viewStatus(
      project.replica,
      { state: "offline", message: "no qc process syncs this file right now; run `qc sync` (or sync_now) to send and receive edits" },
      project.env,
      "nobody",
    )
  );
}

export function watchStatus(project: Project): StatusStream {
  const listeners = new Set<(view: StatusView) => void>();
  let last = JSON.stringify(statusNow(project));
  let engine: ProjectSync | undefined;
  let detachEngine = (): void => undefined;
  const follow = (): void => {
    const now = project.sync();
    if (now === engine) return;
    detachEngine();
    engine = now;
    detachEngine = now === undefined ? () => undefined : now.subscribe(() => refresh());
  };
  const refresh = (): void => {
    follow();
    const view = statusNow(project);
    const key = JSON.stringify(view);
    if (key === last) return;
    last = key;
    for (const listener of [...listeners]) listener(view);
  };
  const offLocal = project.replica.sync.onLocalOps(refresh);
  const watch = changeWatch(project.replica);
  const offCommit = watch.onCommit(refresh);
  const offTick = watch.onTick(() => {
    if (project.sync() !== engine) refresh();
  });
  follow();
  return {
    current: () => statusNow(project),
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => {
      offCommit();
      offTick();
      offLocal();
      detachEngine();
      listeners.clear();
    },
  };
}
