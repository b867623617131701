/**
 * The sync engine over ConvexRemote: the heavy half of sync (effect's
 * streams and fibers, the Convex client), imported only by lazy-engine.ts
 * when a process starts syncing.
 */
import { makeConvexRemote } from "@qc/convex-backend";
import { startSyncEngine, type SyncEngineHandle, type SyncEngineOptions } from "@qc/core/sync";

export interface ConvexEngineOptions extends Omit<SyncEngineOptions, "connect" | "remote"> {
  /** The member token, read at connect time (settings may change it while the engine runs). */
  readonly token: () => string;
}

export function startConvexEngine(options: ConvexEngineOptions): SyncEngineHandle {
  const { token, ...engine } = options;
  const project = options.project ?? "";
  return startSyncEngine({ ...engine, connect: (url) => makeConvexRemote({ url, project, token: token() }) });
}
