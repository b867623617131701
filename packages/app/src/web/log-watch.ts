/**
 * The op log's position as a stream, for the web server's live updates: it
 * reads `logPosition` (one indexed MAX, cheap) when this process writes,
 * when this process's sync engine publishes a status (as it does after
 * ingesting peers' ops), and when another process commits to the file (the
 * project's change watch, change-watch.ts), so an edit made through this
 * server or by a peer is announced at once, and one made by the CLI or an
 * agent in another process within one tick of the change watch.
 * Listeners get the new position; what changed is in `replica.read.opsSince`.
 */
import { changeWatch, type Project, type ProjectSync } from "../project/index.js";

export interface LogWatch {
  readonly subscribe: (listener: (position: number) => void) => () => void;
  readonly close: () => void;
}

export function watchLog(project: Project): LogWatch {
  const { replica } = project;
  const listeners = new Set<(position: number) => void>();
  let position = replica.read.logPosition();
  let engine: ProjectSync | undefined;
  let detachEngine = (): void => undefined;
  const soon = (): void => queueMicrotask(check);
  function check(): void {
    const running = project.sync();
    if (running !== engine) {
      detachEngine();
      engine = running;
      detachEngine = running === undefined ? () => undefined : running.subscribe(soon);
    }
    const now = replica.read.logPosition();
    if (now === position) return;
    position = now;
    for (const listener of [...listeners]) listener(now);
  }
  const offLocal = replica.sync.onLocalOps(soon);
  const watch = changeWatch(replica);
  const offCommit = watch.onCommit(check);
  // The engine may start here at any time (the sync role is taken when free): follow it.
  const offTick = watch.onTick(() => {
    if (project.sync() !== engine) check();
  });
  check();
  return {
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
