/**
 * What the sync engine needs from a local replica. The facade returned by
 * `openReplica` implements it. Every method is synchronous SQLite work.
 */
import type { Op } from "../op/op.js";
import type { OpReceipt } from "../op-log/op-receipts.js";
import type { RemoteIdentity } from "./remote-op-store.js";

export interface IngestResult {
  readonly applied: number;
  readonly duplicates: number;
  readonly quarantined: number;
}

export interface SyncCursor {
  readonly identity: RemoteIdentity;
  /** Highest server seq ingested (0 = nothing yet). */
  readonly seq: number;
}

export interface SyncableReplica {
  readonly project: string;
  readonly replica: string;
  /** Local ops not yet acknowledged by the remote, oldest HLC first. */
  readonly outbox: (limit: number) => ReadonlyArray<Op>;
  readonly outboxSize: () => number;
  /** Record acks (one transaction). Unknown ids are ignored. */
  readonly markAcked: (ids: ReadonlyArray<string>) => void;
  /** The stored cursor, or undefined if this replica never synced. */
  readonly syncCursor: () => SyncCursor | undefined;
  /**
   * Ingest one page of remote ops and advance the cursor in ONE transaction.
   * Refuses (throws) if `cursor.identity` differs from a stored cursor's
   * identity: a replica never mixes two streams.
   * Ops that are this replica's own count as duplicates and are marked acked.
   * `receipts`: the server's receive time of the page's ops, kept beside them
   * (first one per id wins).
   */
  readonly ingestPage: (ops: ReadonlyArray<unknown>, cursor: SyncCursor, receipts?: ReadonlyArray<OpReceipt>) => IngestResult;
  /**
   * Forget the cursor and every ack (one transaction), so the whole log is
   * pushed to, and pulled from, a new stream. Used only when the researcher
   * explicitly switches deployment; pushes are idempotent so nothing doubles.
   */
  readonly resetSync: () => void;
  /** Called after every local op append (commit), for real-time push. */
  readonly onLocalOps: (listener: () => void) => () => void;
}
