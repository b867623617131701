/**
 * `@qc/core`: the local-first core of qc — op envelope and HLC, the SQLite
 * op log, the materialiser's read side, researcher commands, history, and
 * the sync interfaces. No network code: remotes implement `RemoteOpStore`.
 * The sync engine itself is `@qc/core/sync`: it is most of core's code
 * (effect's streams and fibers), and a program that only reads or edits
 * should not load it (the CLI's start-up budget).
 */
export * from "./op/index.js";
export * from "./sync/remote-op-store.js";
export * from "./sync/syncable-replica.js";
export { SyncError, type SyncErrorReason } from "./sync/errors.js";
export type { SyncStatus } from "./sync/status.js";
export type { SyncConfig, SyncEngineOptions } from "./sync/engine.js";
export type { SyncEngineHandle } from "./sync/start.js";
export type { RetryOptions } from "./sync/retry.js";
export type { BatchLimits } from "./sync/session.js";
export {
  createReplica,
  openReplica,
  type CreateReplicaOptions,
  type OpenReplicaOptions,
  type Replica,
  type ReplicaSync,
} from "./replica.js";
export type { PastView, ReplicaRead, SegmentFilter, SegmentView, TreeKind, TreeNode } from "./read/index.js";
export * from "./commands/index.js";
export { newEntityId } from "./commands/entity-id.js";
export {
  RECEIVED_LATE_AFTER_MS,
  type Blame,
  type FieldBlame,
  type History,
  type HistoryEntry,
  type OpTimes,
  type PointInTime,
} from "./history/index.js";
export { OpLogError, type OpLogErrorReason } from "./op-log/errors.js";
export { inspectReplicaFile, type ReplicaFileInfo } from "./op-log/inspect.js";
export type { LocalSettings } from "./op-log/local-settings.js";
export type { QuarantineEntry, QuarantineReason } from "./op-log/quarantine.js";
export type { VerifyOptions, VerifyResult } from "./op-log/verify.js";
export { QC_APPLICATION_ID, SCHEMA_VERSION } from "./op-log/schema.js";
export { CHECKPOINT_EVERY } from "./op-log/checkpoints.js";
export type { WalCheckpointResult } from "./op-log/wal-checkpoint.js";
export {
  conflictId,
  normaliseName,
  type Conflict,
  type ConflictKind,
  type EntityState,
  type Link,
  type ListOptions,
} from "./materialiser/index.js";
