/** Argument checks for the short strings functions take (ids, names, actors). */
import { actorProblem, normaliseActor } from "@qc/core/op";
import { fail } from "./errors.js";
import { MAX_NAME_LENGTH } from "./limits.js";

/** `value` if it is a non-blank string of at most MAX_NAME_LENGTH chars. */
export function requireName(what: string, value: string): string {
  if (value.trim().length === 0) fail("invalid-argument", `${what} must not be empty.`);
  if (value.length > MAX_NAME_LENGTH) {
    fail("invalid-argument", `${what} is ${value.length} chars long; at most ${MAX_NAME_LENGTH} are allowed.`);
  }
  return value;
}

/**
 * An actor (member) name as typed, normalised (NFC, trimmed) and checked
 * with the op decoder's rule (`actorProblem`): a member's ops carry this
 * name, so it must be one every replica accepts, and no bidi control or
 * invisible character may make it look like someone else in the history.
 */
export function requireActor(value: string): string {
  const actor = normaliseActor(value);
  const problem = actorProblem(actor);
  if (problem !== undefined) fail("invalid-argument", `actor: ${problem}.`);
  return actor;
}
