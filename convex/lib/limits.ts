/**
 * Limits enforced by the functions themselves (convex-test enforces none).
 * They keep every function well inside Convex's own limits: 1 MiB per
 * document, 16 MiB read or written per function, 4,096 index ranges.
 */
export { MAX_BODY_BYTES } from "@qc/core/op";

/** Ops per push: one dedupe index lookup each, far below 4,096 ranges. */
export const MAX_BATCH_OPS = 500;
/** Canonical-JSON bytes per push. */
export const MAX_BATCH_BYTES = 4 * 1024 * 1024;
/** How far an op's HLC wall time may run ahead of the server clock. */
export { MAX_PUSH_CLOCK_AHEAD_MS as MAX_CLOCK_AHEAD_MS } from "@qc/core/op";

export const PULL_DEFAULT_LIMIT = 200;
export const PULL_MAX_LIMIT = 1000;
export const PULL_DEFAULT_BYTES = 4 * 1024 * 1024;
/** Upper bound for `maxBytes`: a page is read in one query (16 MiB limit). */
export const PULL_MAX_BYTES = 8 * 1024 * 1024;

/** Longest project id, name or actor accepted. */
export const MAX_NAME_LENGTH = 200;
