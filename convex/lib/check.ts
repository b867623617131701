/**
 * Server-side checks of one pushed op: the pure validation of @qc/core
 * (`classifyOp`) plus what only the server knows (which project, which
 * member, what time it is). Future ops (newer `v`, unknown kind) are accepted
 * as opaque when their envelope is readable; invalid ones are refused.
 */
import { canonicalJson, classifyOp, hashOp, parseHlc, type Op } from "@qc/core/op";
import { fail } from "./errors.js";
import { MAX_BODY_BYTES, MAX_CLOCK_AHEAD_MS } from "./limits.js";
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
    return fail("invalid-op", `${describe(value, index)} is not JSON: ${errorMessage(cause)}`);
  }
}

/** Checks one op of a batch (at `index`) or throws a ConvexError naming it. */
export function checkOp(input: unknown, index: number, bytes: number, context: CheckContext): CheckedOp {
  const name = describe(input, index);
  const classified = classifyOp(input);
  if (classified._tag === "invalid") {
    // The decoder's message already names the op id and the path.
    fail("invalid-op", `${classified.error.message} (op #${index} of the batch)`);
  }
  const op = input as Readonly<Record<string, unknown>>;
  const envelope = readEnvelope(op);
  if (envelope === null) fail("invalid-op", `${name} has no readable envelope (id, hlc, project, replica, actor).`);
  checkBody(op, name);
  if (envelope.project !== context.project) {
    fail("invalid-op", `${name} belongs to project ${envelope.project}, not ${context.project}.`);
  }
  if (envelope.actor !== context.actor) {
    fail("invalid-op", `${name} names actor ${envelope.actor}, but this token belongs to ${context.actor}.`);
  }
  checkClock(envelope.hlc, name, context.now);
  return { envelope, op, hash: hashOp(op as unknown as Op), bytes };
}

function readEnvelope(op: Readonly<Record<string, unknown>>): Envelope | null {
  const { id, hlc, project, replica, actor } = op;
  if (typeof id !== "string" || typeof hlc !== "string" || typeof project !== "string") return null;
  if (typeof replica !== "string" || typeof actor !== "string") return null;
  if (id.length === 0 || hlc.length === 0) return null;
  return { id, hlc, project, replica, actor };
}

function checkBody(op: Readonly<Record<string, unknown>>, name: string): void {
  if (op["body"] === undefined) return;
  const size = encoder.encode(canonicalJson(op["body"])).length;
  if (size > MAX_BODY_BYTES) {
    fail("invalid-op", `${name} has a body of ${size} bytes; the limit is ${MAX_BODY_BYTES} bytes.`);
  }
}

function checkClock(hlc: string, name: string, now: number): void {
  let wallMs: number;
  try {
    wallMs = parseHlc(hlc).wallMs;
  } catch (cause) {
    return fail("invalid-op", `${name} has an unreadable hlc: ${errorMessage(cause)}`);
  }
  if (!Number.isFinite(wallMs)) fail("invalid-op", `${name} has an unreadable hlc.`);
  const ahead = wallMs - now;
  if (ahead > MAX_CLOCK_AHEAD_MS) {
    fail(
      "clock-ahead",
      `${name} has an HLC ${formatDuration(ahead)} ahead of the server clock (at most ${formatDuration(MAX_CLOCK_AHEAD_MS)} allowed); check this device's clock.`,
    );
  }
}

/** "op 2026-…-7f3a (#3)" when the id is readable, "op #3" otherwise. */
function describe(input: unknown, index: number): string {
  const id = typeof input === "object" && input !== null ? (input as Record<string, unknown>)["id"] : undefined;
  if (typeof id !== "string") return `op #${index}`;
  return `op ${id.length > 120 ? `${id.slice(0, 120)}…` : id} (#${index})`;
}

function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 120) return `${minutes} min`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} h` : `${Math.round(hours / 24)} days`;
}

function errorMessage(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
