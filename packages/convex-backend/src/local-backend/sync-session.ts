/**
 * One sync socket (`/api/<version>/sync`): the server half of Convex's sync
 * protocol for one ConvexClient connection.
 *
 * Handles Connect, ModifyQuerySet (Add/Remove), Mutation, Action,
 * Authenticate (accepted; identity is not used by qc, tokens travel in args)
 * and Event (ignored). Sends Transition, MutationResponse, ActionResponse and
 * Ping.
 *
 * A mutation's result is remembered so that a resend after a reconnect (the
 * same session id, request id, function and arguments) gets it again
 * without running twice. It is remembered under all four: a socket that
 * presents another socket's session id gets a stored result only by
 * resending that very request, arguments included, and the arguments carry
 * the secret (a member token, a creation key) that produced the result. A
 * request that differs runs as itself. (The protocol gives a socket no
 * secret of its own, and refusing a session id a live socket holds would
 * also refuse an honest reconnect that beats the old socket's close.)
 *
 * Every state change runs in the backend's serial queue, so the
 * Transitions one socket receives chain exactly (each starts at the version
 * the previous one ended at) and their timestamps never go back.
 */
import { createHash } from "node:crypto";
import type { WebSocket } from "ws";
import type { JSONValue } from "convex/values";
import type { BackendState, Subscriber } from "./backend-state.js";
import { broadcast, commitMutation } from "./commit.js";
import { canonicalUdfPath } from "./udf.js";
import {
  decodeClientMessage,
  encodeActionResponse,
  encodeMutationResponse,
  encodeTransition,
  PING,
  type ClientMessage,
  type QuerySetChange,
  type StateModification,
  type StateVersion,
  type UdfOutcome,
} from "./wire.js";

export interface SyncSession extends Subscriber {
  readonly close: () => void;
}

interface Subscription {
  readonly udfPath: string;
  readonly args: JSONValue[];
  /** The last outcome sent, serialised; undefined before the first. */
  last: string | undefined;
}

/** Server heartbeat; the client reconnects after 60 s without a message. */
const PING_INTERVAL_MS = 15_000;

export function makeSyncSession(socket: WebSocket, state: BackendState): SyncSession {
  let version: StateVersion = { querySet: 0, identity: 0, ts: 0n };
  let sessionId = "";
  let closed = false;
  const queries = new Map<number, Subscription>();
  const ping = setInterval(() => send(PING), PING_INTERVAL_MS);
  ping.unref();

  function send(frame: string): void {
    if (!closed && socket.readyState === socket.OPEN) socket.send(frame);
  }

  async function sync(end: StateVersion, changes: ReadonlyArray<QuerySetChange>, cache: Map<string, UdfOutcome>) {
    const modifications: StateModification[] = [];
    for (const change of changes) {
      if (change.type === "Add") queries.set(change.queryId, { udfPath: change.udfPath, args: change.args, last: undefined });
      else if (queries.delete(change.queryId)) modifications.push({ type: "QueryRemoved", queryId: change.queryId });
    }
    for (const [queryId, query] of queries) {
      const outcome = await runCached(query, cache);
      const serialised = JSON.stringify(outcome);
      if (serialised !== query.last) modifications.push(modificationFor(queryId, outcome));
      query.last = serialised;
    }
    send(encodeTransition(version, end, modifications));
    version = end;
  }

  async function runCached(query: Subscription, cache: Map<string, UdfOutcome>): Promise<UdfOutcome> {
    const key = `${canonicalUdfPath(query.udfPath)}|${JSON.stringify(query.args)}`;
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    const outcome = await state.run("query", query.udfPath, query.args);
    cache.set(key, outcome);
    return outcome;
  }

  function handle(message: ClientMessage): void {
    switch (message.type) {
      case "Connect":
        sessionId = message.sessionId;
        return;
      case "ModifyQuerySet":
        return enqueue(() => onModifyQuerySet(message.baseVersion, message.newVersion, message.modifications));
      case "Mutation":
        return enqueue(() => onMutation(message.requestId, message.udfPath, message.args));
      case "Action":
        return enqueue(() => onAction(message.requestId, message.udfPath, message.args));
      case "Authenticate":
        return enqueue(() => sync({ ...version, identity: message.baseVersion + 1, ts: state.now() }, [], new Map()));
      case "Event":
        return;
    }
  }

  async function onModifyQuerySet(base: number, next: number, changes: ReadonlyArray<QuerySetChange>) {
    if (base !== version.querySet) throw new Error(`query set version ${base} does not follow ${version.querySet}`);
    await sync({ ...version, querySet: next, ts: state.now() }, changes, new Map());
  }

  async function onMutation(requestId: number, udfPath: string, args: JSONValue[]) {
    const key = mutationKey(sessionId, requestId, udfPath, args);
    const stored = state.recallMutation(key);
    if (stored !== undefined) {
      send(encodeMutationResponse(requestId, stored.outcome, stored.ts));
      if (stored.ts !== undefined) await sync({ ...version, ts: state.now() }, [], new Map());
      return;
    }
    await commitMutation(state, udfPath, args, (committed) => {
      state.rememberMutation(key, committed);
      send(encodeMutationResponse(requestId, committed.outcome, committed.ts));
    });
  }

  async function onAction(requestId: number, udfPath: string, args: JSONValue[]) {
    const outcome = await state.run("action", udfPath, args);
    send(encodeActionResponse(requestId, outcome));
    await broadcast(state, state.nextTs()); // the action may have run mutations
  }

  function enqueue(job: () => Promise<void>): void {
    state.queue.run(job).catch((error: unknown) => {
      // A protocol violation or a backend bug: drop the socket, the client reconnects from scratch.
      console.error("local backend: sync session error:", error);
      socket.close(1011, "InternalServerError");
    });
  }

  const session: SyncSession = {
    refresh: (ts, cache) => (closed ? Promise.resolve() : sync({ ...version, ts }, [], cache)),
    close: () => {
      closed = true;
      clearInterval(ping);
      state.subscribers.delete(session);
    },
  };
  state.subscribers.add(session);
  socket.on("message", (data) => {
    let message: ClientMessage | undefined;
    try {
      message = decodeClientMessage(data.toString());
    } catch {
      socket.close(1002, "malformed message");
      return;
    }
    if (message !== undefined) handle(message);
  });
  socket.on("close", session.close);
  socket.on("error", session.close);
  return session;
}

/** Where a mutation's result is remembered: the request as a whole, hashed. */
function mutationKey(sessionId: string, requestId: number, udfPath: string, args: ReadonlyArray<JSONValue>): string {
  const request = JSON.stringify([canonicalUdfPath(udfPath), args]);
  return `${sessionId}#${requestId}#${createHash("sha256").update(request).digest("hex")}`;
}

function modificationFor(queryId: number, outcome: UdfOutcome): StateModification {
  if (outcome.success) return { type: "QueryUpdated", queryId, value: outcome.value, logLines: [], journal: null };
  return {
    type: "QueryFailed",
    queryId,
    errorMessage: outcome.errorMessage,
    logLines: [],
    ...(outcome.errorData !== undefined ? { errorData: outcome.errorData } : {}),
    journal: null,
  };
}
