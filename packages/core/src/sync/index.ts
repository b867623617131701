/** Sync: the remote interface, what a replica offers the engine, and the engine. */
export * from "./remote-op-store.js";
export * from "./syncable-replica.js";
export { SyncError, type SyncErrorReason } from "./errors.js";
export type { SyncStatus } from "./status.js";
export * as SyncEngine from "./engine.js";
export type { SyncConfig, SyncEngineOptions, SyncEngineService } from "./engine.js";
export * from "./start.js";
export type { RetryOptions } from "./retry.js";
export type { BatchLimits } from "./session.js";
