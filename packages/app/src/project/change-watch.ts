/**
 * One watch per open project file for what other processes do to it: a
 * single timer reads the file's SQLite `data_version` every WATCH_MS (it
 * moves only when another connection commits: `qc` in another terminal, a
 * peer's ops pulled by the process that syncs, settings changed elsewhere).
 * The sync engine's feed (project-sync.ts), the status stream, the web
 * server's log watch and the sync-role keeper all subscribe to it, so a
 * `qc serve` polls the file once, not once per consumer. The timer starts
 * with the first subscriber and stops when the last one leaves.
 *
 * `onCommit` listeners hear only of other processes' commits; `onTick`
 * listeners hear every tick, for the cheap in-memory checks that have no
 * commit to wait for (a crashed lease holder, the engine starting here).
 */
import type { Replica } from "@qc/core";

export const WATCH_MS = 250;

export interface ChangeWatch {
  /** Calls `listener` when another process has committed to the file; returns an unsubscribe. */
  readonly onCommit: (listener: () => void) => () => void;
  /** Calls `listener` on every tick of the watch; returns an unsubscribe. */
  readonly onTick: (listener: () => void) => () => void;
}

const watches = new WeakMap<Replica, ChangeWatch>();

/** The watch of `replica`'s file, shared by everyone in this process. */
export function changeWatch(replica: Replica): ChangeWatch {
  let watch = watches.get(replica);
  if (watch === undefined) {
    watch = makeChangeWatch(replica);
    watches.set(replica, watch);
  }
  return watch;
}

function makeChangeWatch(replica: Replica): ChangeWatch {
  const commitListeners = new Set<() => void>();
  const tickListeners = new Set<() => void>();
  let timer: NodeJS.Timeout | undefined;
  let version = 0;
  const tick = (): void => {
    const now = replica.read.dataVersion();
    if (now !== version) {
      version = now;
      for (const listener of [...commitListeners]) listener();
    }
    for (const listener of [...tickListeners]) listener();
  };
  const add = (listeners: Set<() => void>, listener: () => void): (() => void) => {
    // A fresh wrapper per subscription, so subscribing one function twice needs two unsubscribes.
    const entry = (): void => listener();
    listeners.add(entry);
    if (timer === undefined) {
      version = replica.read.dataVersion();
      timer = setInterval(tick, WATCH_MS);
      timer.unref();
    }
    return () => {
      listeners.delete(entry);
      if (commitListeners.size === 0 && tickListeners.size === 0 && timer !== undefined) {
        clearInterval(timer);
        timer = undefined;
      }
    };
  };
  return {
    onCommit: (listener) => add(commitListeners, listener),
    onTick: (listener) => add(tickListeners, listener),
  };
}
