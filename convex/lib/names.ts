/** Argument checks for the short strings functions take (ids, names, actors). */
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
