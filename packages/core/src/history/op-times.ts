/**
 * When an op happened, in the two senses history shows: `authoredAt`, the
 * wall time of its HLC (the author's clock when they wrote it), and
 * `receivedAt`, the server's clock when it stored it (op_receipts). An HLC
 * can be old, legitimately (work done offline, pushed later) or not (a
 * wrong clock, a back-dated op): the receive time cannot be back-dated by
 * the author, so history shows both and flags a wide gap.
 */
import { parseHlc } from "../hlc.js";

/**
 * An op received more than a day after it was written is flagged. Offline
 * work of a day (a field trip, a flight, a laptop closed overnight) is
 * normal and not worth a flag; beyond that a reader should know the op
 * reached the team long after the time it shows.
 */
export const RECEIVED_LATE_AFTER_MS = 24 * 60 * 60 * 1000;

export interface OpTimes {
  /** ISO time of the op's HLC: when its author's clock says it was written. */
  readonly authoredAt: string;
  /** ISO time the server received it; absent until the op is synced (or from a server that did not record it). */
  readonly receivedAt?: string;
  /** The server received it more than RECEIVED_LATE_AFTER_MS after `authoredAt`. */
  readonly receivedLate: boolean;
}

export function opTimes(hlc: string, receivedAtMs: number | null | undefined): OpTimes {
  const authoredMs = parseHlc(hlc).wallMs;
  const authoredAt = new Date(authoredMs).toISOString();
  if (receivedAtMs === null || receivedAtMs === undefined) return { authoredAt, receivedLate: false };
  return {
    authoredAt,
    receivedAt: new Date(receivedAtMs).toISOString(),
    receivedLate: receivedAtMs - authoredMs > RECEIVED_LATE_AFTER_MS,
  };
}
