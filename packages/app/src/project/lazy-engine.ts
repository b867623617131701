/**
 * The sync engine, loaded on first use. The engine and the Convex client are
 * over a third of the CLI's code, and V8 compiles what it loads: a command
 * that only reads or edits the file never loads them (issue 9's start-up
 * budget), while `startProjectSync` stays synchronous for its callers.
 *
 * Until the module is in (a few milliseconds), the status is "connecting",
 * which is what an enabled engine is doing; every call waits for the engine.
 */
import type { SyncEngineHandle, SyncStatus } from "@qc/core";
import type { ConvexEngineOptions } from "./convex-engine.js";

export function lazyConvexEngine(options: ConvexEngineOptions): SyncEngineHandle {
  const LOADING: SyncStatus = options.enabled === false ? { state: "disabled" } : { state: "connecting" };
  let loaded: SyncEngineHandle | undefined;
  const engine = import("./convex-engine.js").then((m) => (loaded = m.startConvexEngine(options)));
  const later =
    <A extends ReadonlyArray<unknown>>(call: (e: SyncEngineHandle, ...args: A) => Promise<void>) =>
    (...args: A): Promise<void> =>
      engine.then((e) => call(e, ...args));
  return {
    status: () => loaded?.status() ?? LOADING,
    subscribe: (listener) => {
      if (loaded !== undefined) return loaded.subscribe(listener);
      listener(LOADING);
      let unsubscribe: (() => void) | undefined;
      let cancelled = false;
      void engine.then((e) => {
        if (cancelled) return;
        // The engine starts by replaying its status; when that is what the listener was just told, it is not a change.
        let first = true;
        unsubscribe = e.subscribe((status) => {
          const repeat = first && JSON.stringify(status) === JSON.stringify(LOADING);
          first = false;
          if (!repeat) listener(status);
        });
      });
      return () => {
        cancelled = true;
        unsubscribe?.();
      };
    },
    enable: later((e) => e.enable()),
    disable: later((e) => e.disable()),
    configure: later((e, config: Parameters<SyncEngineHandle["configure"]>[0]) => e.configure(config)),
    switchStream: later((e) => e.switchStream()),
    syncNow: later((e) => e.syncNow()),
    stop: later((e) => e.stop()),
  };
}
