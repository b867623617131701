/**
 * Server-side checks of one pushed op: core's shared push rules
 * (`checkPushedOp`: validation, envelope, body limit, project, actor, clock)
 * turned into ConvexErrors. Future ops (newer `v`, unknown kind) are accepted
 * as opaque when their envelope is readable; invalid ones are refused.
 */
import { canonicalJson, checkPushedOp, describePushedOp } from "@qc/core/op";
import { fail } from "./errors.js";
import { MAX_CLOCK_AHEAD_MS } from "./limits.js";
import type { Envelope } from "./stored.js";

/** A pushed op that passed every check, ready to store. */
export interface CheckedOp {
  readonly envelope: Envelope;
  readonly op: Readonly<Record<string, unknown>>;
  readonly hash: string;
  /** UTF-8 bytes of the op's canonical JSON. */
  readonly bytes: number;
}

export interface CheckContext {
  readonly project: string;
  readonly actor: string;
  /** Server clock, ms since the epoch. */
  readonly now: number;
}

const encoder = new TextEncoder();

/** UTF-8 bytes of a value's canonical JSON; refuses values JSON cannot carry. */
export function canonicalBytes(value: unknown, index: number): number {
  try {
    return encoder.encode(canonicalJson(value)).length;
  } catch (cause) {
    return fail("invalid-op", `${describePushedOp(value, index)} is not JSON: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

/** Checks one op of a batch (at `index`) or throws a ConvexError naming it. */
export function checkOp(input: unknown, index: number, bytes: number, context: CheckContext): CheckedOp {
  const checked = checkPushedOp(input, index, {
    project: context.project,
    actor: context.actor,
    nowMs: context.now,
    maxAheadMs: MAX_CLOCK_AHEAD_MS,
  });
  if (!checked.ok) return fail(checked.code, checked.message);
  return { envelope: checked.envelope, op: input as Readonly<Record<string, unknown>>, hash: checked.hash, bytes };
}
