/**
 * The op log's position as a stream, for the web server's live updates:
 * every POLL_MS it reads `logPosition` (one indexed MAX, cheap), and it
 * reads it again at once when this process writes or this process's sync
 * engine publishes a status (as it does after ingesting peers' ops), so an
 * edit made through this server or by a peer is announced at once, and one
 * made by the CLI or an agent in another process within POLL_MS.
 * Listeners get the new position; what changed is in `replica.read.opsSince`.
 */
import type { Project, ProjectSync } from "../project/index.js";

export const POLL_MS = 250;

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
  const timer = setInterval(check, POLL_MS);
  timer.unref();
  check();
  return {
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => {
      clearInterval(timer);
      offLocal();
      detachEngine();
      listeners.clear();
    },
  };
}
