/**
 * The rules a server applies to one pushed op (docs/design.md §6), shared by the
 * Convex `ops:push` function (convex/lib/check.ts) and the test remotes
 * (testing/remote-rules.ts) so they cannot drift apart: the pure validation
 * (`classifyOp`), a readable envelope, the body limit, the stream's project,
 * the token's actor and the server clock. Future ops (newer `v`, unknown
 * kind) with a readable envelope pass as opaque. Pure: runs in Convex.
 *
 * A member's token also carries the edits of the member's agent, actor
 * `agent:<member>` (an MCP server acting for the researcher, decision 0009):
 * the audit trail tells the agent's edits apart, the role is the member's.
 */
import { canonicalJson, hashOp, utf8Length } from "./canonical.js";
import { parseHlc } from "../hlc.js";
import { classifyOp } from "./op-schema.js";
import { MAX_BODY_BYTES, type Op } from "./op.js";

/** How far ahead of the server clock a pushed op's HLC may be. */
export const MAX_PUSH_CLOCK_AHEAD_MS = 5 * 60 * 1000;

export interface PushContext {
  readonly project: string;
  /** The token's member; undefined skips the actor check (tokenless test remotes). */
  readonly actor?: string | undefined;
  /** Server clock, ms since the epoch. */
  readonly nowMs: number;
  readonly maxAheadMs?: number;
}

export interface PushEnvelope {
  readonly id: string;
  readonly hlc: string;
  readonly project: string;
  readonly replica: string;
  readonly actor: string;
}

export type PushCheck =
  | { readonly ok: true; readonly envelope: PushEnvelope; readonly hash: string }
  | { readonly ok: false; readonly code: "invalid-op" | "clock-ahead"; readonly message: string; readonly aheadMs?: number };

/**
 * Checks op number `index` of a batch; never throws. The decoder bounds
 * depth and size before anything here recurses; the catch is for input no
 * JSON client sends (a throwing getter), refused like any other bad op.
 */
export function checkPushedOp(input: unknown, index: number, context: PushContext): PushCheck {
  try {
    return checkReadableOp(input, index, context);
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    return { ok: false, code: "invalid-op", message: `${describePushedOp(input, index)} cannot be read: ${why}` };
  }
}

function checkReadableOp(input: unknown, index: number, context: PushContext): PushCheck {
  const name = describePushedOp(input, index);
  const refuse = (message: string): PushCheck => ({ ok: false, code: "invalid-op", message });
  const classified = classifyOp(input);
  // The decoder's message already names the op id and the path.
  if (classified._tag === "invalid") return refuse(`${classified.error.message} (op #${index} of the batch)`);
  const op = input as Readonly<Record<string, unknown>>;
  const envelope = readEnvelope(op);
  if (envelope === undefined) return refuse(`${name} has no readable envelope (id, hlc, project, replica, actor).`);
  let bodySize: number;
  let hash: string;
  try {
    bodySize = op["body"] === undefined ? 0 : utf8Length(canonicalJson(op["body"]));
    hash = hashOp(op as unknown as Op);
  } catch (cause) {
    return refuse(`${name} is not JSON: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
  if (bodySize > MAX_BODY_BYTES) return refuse(`${name} has a body of ${bodySize} bytes; the limit is ${MAX_BODY_BYTES} bytes.`);
  if (envelope.project !== context.project) return refuse(`${name} belongs to project ${envelope.project}, not ${context.project}.`);
  if (context.actor !== undefined && !actsFor(envelope.actor, context.actor)) {
    return refuse(`${name} names actor ${envelope.actor}, but this token belongs to ${context.actor} (or ${agentOf(context.actor)}).`);
  }
  const clock = checkClock(envelope.hlc, name, context);
  return clock ?? { ok: true, envelope, hash };
}

/** The actor name of a member's agent. */
export function agentOf(member: string): string {
  return `agent:${member}`;
}

function actsFor(actor: string, member: string): boolean {
  return actor === member || actor === agentOf(member);
}

/** "op 2026-…-7f3a (#3)" when the id is readable, "op #3" otherwise. */
export function describePushedOp(input: unknown, index: number): string {
  let id: unknown;
  try {
    id = typeof input === "object" && input !== null ? (input as Record<string, unknown>)["id"] : undefined;
  } catch {
    id = undefined;
  }
  if (typeof id !== "string") return `op #${index}`;
  return `op ${id.length > 120 ? `${id.slice(0, 120)}…` : id} (#${index})`;
}

function readEnvelope(op: Readonly<Record<string, unknown>>): PushEnvelope | undefined {
  const { id, hlc, project, replica, actor } = op;
  if (typeof id !== "string" || typeof hlc !== "string" || typeof project !== "string") return undefined;
  if (typeof replica !== "string" || typeof actor !== "string") return undefined;
  if (id.length === 0 || hlc.length === 0) return undefined;
  return { id, hlc, project, replica, actor };
}

function checkClock(hlc: string, name: string, context: PushContext): PushCheck | undefined {
  let wallMs: number;
  try {
    wallMs = parseHlc(hlc).wallMs;
  } catch (cause) {
    return {
      ok: false,
      code: "invalid-op",
      message: `${name} has an unreadable hlc: ${cause instanceof Error ? cause.message : String(cause)}`,
    };
  }
  const maxAhead = context.maxAheadMs ?? MAX_PUSH_CLOCK_AHEAD_MS;
  const ahead = wallMs - context.nowMs;
  if (ahead <= maxAhead) return undefined;
  return {
    ok: false,
    code: "clock-ahead",
    aheadMs: ahead,
    message: `${name} has an HLC ${formatDuration(ahead)} ahead of the server clock (at most ${formatDuration(maxAhead)} allowed); check this device's clock.`,
  };
}

function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 120) return `${minutes} min`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} h` : `${Math.round(hours / 24)} days`;
}
