/**
 * The subset of Convex's sync-protocol messages (convex 1.48.0,
 * `browser/sync/protocol.ts`) that the local backend reads and writes, and
 * the u64 timestamp codec the protocol uses (base64 of 8 little-endian bytes).
 *
 * Protocol notes kept here because they are easy to get wrong:
 * - A Transition's `startVersion` must equal the client's current version
 *   (querySet, identity, ts) exactly, or the client throws and reconnects.
 * - A successful MutationResponse resolves only once a Transition arrives
 *   whose `endVersion.ts` >= the response's `ts`, and only if it arrives
 *   after the response.
 */
import type { JSONValue } from "convex/values";

export interface StateVersion {
  readonly querySet: number;
  readonly identity: number;
  readonly ts: bigint;
}

export type ClientMessage =
  | { type: "Connect"; sessionId: string; connectionCount: number; maxObservedTimestamp?: string }
  | { type: "ModifyQuerySet"; baseVersion: number; newVersion: number; modifications: QuerySetChange[] }
  | { type: "Mutation"; requestId: number; udfPath: string; args: JSONValue[] }
  | { type: "Action"; requestId: number; udfPath: string; args: JSONValue[] }
  | { type: "Authenticate"; tokenType: string; baseVersion: number }
  | { type: "Event"; eventType: string };

export type QuerySetChange = { type: "Add"; queryId: number; udfPath: string; args: JSONValue[] } | { type: "Remove"; queryId: number };

export type StateModification =
  | { type: "QueryUpdated"; queryId: number; value: JSONValue; logLines: string[]; journal: null }
  | {
      type: "QueryFailed";
      queryId: number;
      errorMessage: string;
      logLines: string[];
      errorData?: JSONValue;
      journal: null;
    }
  | { type: "QueryRemoved"; queryId: number };

/** A function's outcome in wire form (shared by HTTP and the socket). */
export type UdfOutcome =
  | { readonly success: true; readonly value: JSONValue }
  | { readonly success: false; readonly errorMessage: string; readonly errorData?: JSONValue };

export function encodeTransition(start: StateVersion, end: StateVersion, modifications: StateModification[]): string {
  return JSON.stringify({
    type: "Transition",
    startVersion: encodeVersion(start),
    endVersion: encodeVersion(end),
    modifications,
  });
}

export function encodeMutationResponse(requestId: number, outcome: UdfOutcome, ts: bigint | undefined): string {
  if (outcome.success) {
    return JSON.stringify({
      type: "MutationResponse",
      requestId,
      success: true,
      result: outcome.value,
      ts: encodeTs(ts ?? 0n),
      logLines: [],
    });
  }
  return JSON.stringify({ type: "MutationResponse", requestId, ...failureFields(outcome) });
}

export function encodeActionResponse(requestId: number, outcome: UdfOutcome): string {
  if (outcome.success) {
    return JSON.stringify({ type: "ActionResponse", requestId, success: true, result: outcome.value, logLines: [] });
  }
  return JSON.stringify({ type: "ActionResponse", requestId, ...failureFields(outcome) });
}

export const PING = JSON.stringify({ type: "Ping" });

/** Parse a client frame; undefined if it is not a message this backend knows. */
export function decodeClientMessage(frame: string): ClientMessage | undefined {
  const msg = JSON.parse(frame) as { type?: unknown };
  switch (msg.type) {
    case "Connect":
    case "ModifyQuerySet":
    case "Mutation":
    case "Action":
    case "Authenticate":
    case "Event":
      return msg as ClientMessage;
    default:
      return undefined;
  }
}

export function encodeTs(ts: bigint): string {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(ts);
  return bytes.toString("base64");
}

export function decodeTs(encoded: string): bigint {
  return Buffer.from(encoded, "base64").readBigUInt64LE();
}

function encodeVersion(v: StateVersion) {
  return { querySet: v.querySet, identity: v.identity, ts: encodeTs(v.ts) };
}

function failureFields(outcome: Extract<UdfOutcome, { success: false }>) {
  return {
    success: false,
    result: outcome.errorMessage,
    logLines: [],
    ...(outcome.errorData !== undefined ? { errorData: outcome.errorData } : {}),
  };
}
