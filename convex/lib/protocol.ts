/**
 * The sync protocol versions this deployment serves (history:
 * `@qc/core/op` protocol-version.ts). Every function takes the caller's
 * version as an optional `protocol` argument (absent: version 1) and checks
 * it first, so a client older or newer than the deployment is told which
 * side to update instead of failing on some argument.
 *
 * For that to hold, the argument validators accept what every served
 * version sends: a new argument is optional, and an argument is never
 * removed from a validator (at most loosened to `v.optional(v.any())`).
 */
import { PROTOCOL_VERSION } from "@qc/core/op";
import { v } from "convex/values";
import { fail } from "./errors.js";

/** The oldest version still served: every client that ever shipped. */
export const MIN_PROTOCOL_VERSION = 1;

/** The `protocol` argument of every function. */
export const protocolArg = v.optional(v.number());

/** Throws `protocol-unsupported` unless this deployment serves `version` (absent: 1). */
export function requireProtocol(version: number | undefined): void {
  const sent = version ?? 1;
  if (!Number.isSafeInteger(sent)) fail("invalid-argument", `protocol must be an integer version; got ${sent}.`);
  const served = `this deployment serves versions ${MIN_PROTOCOL_VERSION} to ${PROTOCOL_VERSION}`;
  if (sent < MIN_PROTOCOL_VERSION) {
    fail(
      "protocol-unsupported",
      `This qc speaks sync protocol version ${sent} and ${served}: update qc on this computer, then sync again.`,
    );
  }
  if (sent > PROTOCOL_VERSION) {
    fail(
      "protocol-unsupported",
      `This qc speaks sync protocol version ${sent}, newer than this deployment (${served}): ask its administrator to deploy the current qc functions (npx convex deploy).`,
    );
  }
}
