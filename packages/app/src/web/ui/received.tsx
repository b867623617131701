/** When an edit was written and when it reached the team, with the flag for an edit that arrived long after it was written. */
import { RECEIVED_LATE_TEXT, receiptText } from "../../project/receipt-text";

interface Times {
  readonly authoredAt: string;
  readonly receivedAt?: string;
  readonly receivedLate: boolean;
}

const local = (iso: string): string => new Date(iso).toLocaleString();

export function WhenWritten({ times }: { readonly times: Times }) {
  return (
    <>
      <time dateTime={times.authoredAt}>{local(times.authoredAt)}</time>
      <br />
      <small class={times.receivedLate ? "received-late" : "received"}>
        {times.receivedLate && (
          <span role="img" aria-label={RECEIVED_LATE_TEXT}>
            ⚠{" "}
          </span>
        )}
        {receiptText(times, local)}
      </small>
    </>
  );
}
