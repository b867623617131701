/**
 * The researcher-facing words for when an edit reached the team (core's
 * OpTimes): one wording for the CLI and the web, so a flag reads the same.
 */
import type { OpTimes } from "@qc/core";

export const RECEIVED_LATE_TEXT = "written offline long before it reached the team";

/** "received by the server <time>", flagged when late; "not yet received by the server" before sync. */
export function receiptText(times: OpTimes, formatTime: (iso: string) => string = (iso) => iso): string {
  if (times.receivedAt === undefined) return "not yet received by the server";
  const received = `received by the server ${formatTime(times.receivedAt)}`;
  return times.receivedLate ? `${received} (${RECEIVED_LATE_TEXT})` : received;
}
