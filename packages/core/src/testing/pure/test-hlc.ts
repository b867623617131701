/**
 * HLCs for tests: fixed instants from the test epoch, so ids repeat from run
 * to run, and a near-now wall clock for servers that refuse ops from the
 * future. Pure: runs under edge-runtime too.
 */
import { formatHlc, type Hlc } from "../../hlc.js";

/** 2026-01-01T00:00:00.000Z: the fixed wall time of test HLCs. */
export const TEST_EPOCH_MS = Date.UTC(2026, 0, 1);

export const R1 = "1111111111111111";
export const R2 = "2222222222222222";
export const R3 = "3333333333333333";

/** An HLC `ms` milliseconds after the test epoch, from `replica`. */
export function at(ms: number, replica: string = R1): Hlc {
  return formatHlc({ wallMs: TEST_EPOCH_MS + ms, counter: 0, replica });
}

/** The `index`-th HLC of `replica` from `baseMs` on: 1,000 per millisecond, far from the counter's limit. */
export function hlcAt(index: number, replica: string = R1, baseMs: number = TEST_EPOCH_MS): Hlc {
  return formatHlc({ wallMs: baseMs + Math.floor(index / 1000), counter: index % 1000, replica });
}

/**
 * A wall clock fixed one minute before the call: HLCs a server that refuses
 * ops from the future (clock-ahead) accepts, yet repeatable within a suite.
 */
export function nearNow(): () => number {
  const ms = Date.now() - 60_000;
  return () => ms;
}
