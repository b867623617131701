/**
 * The op log's position as a stream, for the web server's live updates:
 * every POLL_MS it reads `logPosition` (one indexed MAX, cheap), and it
 * reads it again at once when this process writes, so an edit made through
 * this server, by the sync engine (peers' ops), by the CLI or by an agent
 * in another process is announced within POLL_MS. Listeners get the new
 * position; what changed is in `replica.read.opsSince`.
 */
import type { Replica } from "@qc/core";

export const POLL_MS = 250;

export interface LogWatch {
  readonly subscribe: (listener: (position: number) => void) => () => void;
  readonly close: () => void;
}

export function watchLog(replica: Replica): LogWatch {
  const listeners = new Set<(position: number) => void>();
  let position = replica.read.logPosition();
  const check = (): void => {
    const now = replica.read.logPosition();
    if (now === position) return;
    position = now;
    for (const listener of [...listeners]) listener(now);
  };
  const offLocal = replica.sync.onLocalOps(() => queueMicrotask(check));
  const timer = setInterval(check, POLL_MS);
  timer.unref();
  return {
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => {
      clearInterval(timer);
      offLocal();
      listeners.clear();
    },
  };
}
