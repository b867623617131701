/**
 * ConvexRemote: the RemoteOpStore of a Convex deployment running /convex.
 *
 * - Subscriptions (`subscribeHead`) and connection state use ConvexClient's
 *   sync socket: one `onUpdate(ops:head)`, always with `onError`.
 * - push / pull / identity use ConvexHttpClient, one HTTP request each, with
 *   a per-call timeout. Not ConvexClient mutations: those sit in an in-memory
 *   queue that is resent after every reconnect and cannot be cancelled, so a
 *   push would hang across an outage and could land long after the engine
 *   gave up on it. The durable outbox is the op log (docs/design.md §6); a push
 *   must fail fast and retryably, and the engine decides when to retry.
 *   Pushes are idempotent by op id, so a push that timed out but landed is
 *   harmless to repeat.
 *
 * Every call carries the sync protocol version (`PROTOCOL_VERSION`); a
 * deployment that does not serve it answers `protocol-unsupported`.
 *
 * Every failure is a `RemoteError` (see remote-errors.ts).
 */
import { ConvexClient, ConvexHttpClient } from "convex/browser";
import { RemoteError, type ConnectionState, type PullPage, type PushResult, type RemoteIdentity, type RemoteOpStore } from "@qc/core/sync";
import { PROTOCOL_VERSION, type Op } from "@qc/core/op";
import { watchConnection } from "./connection-state.js";
import { qcApi } from "./qc-api.js";
import { runConvexCall, toRemoteError } from "./remote-errors.js";
import { makeTimeoutFetch } from "./timeout-fetch.js";
import { trackWebSockets, type WebSocketConstructor } from "./tracked-websocket.js";

export interface ConvexRemoteOptions {
  /** Deployment URL, e.g. `https://x.convex.cloud` or `http://127.0.0.1:3210`. */
  readonly url: string;
  readonly project: string;
  /** The member token (from projects:create or members:invite). */
  readonly token: string;
  /** Defaults to the global WebSocket, or to `ws` where there is none (Node 20). */
  readonly webSocketConstructor?: WebSocketConstructor;
  /** Bound on each push, pull and identity call; default 30 s. */
  readonly timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;

export function makeConvexRemote(options: ConvexRemoteOptions): RemoteOpStore {
  const { url, project, token } = options;
  const auth = { protocol: PROTOCOL_VERSION, token, project };
  const http = new ConvexHttpClient(url, {
    logger: false,
    fetch: makeTimeoutFetch(options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
  });
  const sockets = trackWebSockets(options.webSocketConstructor);
  const socket = new ConvexClient(url, { logger: false, webSocketConstructor: sockets.constructor });
  let closed = false;

  const call = <T>(name: string, run: () => Promise<T>): Promise<T> => runConvexCall(name, closed, run);

  return {
    identity: () =>
      call("ops:head", async (): Promise<RemoteIdentity> => {
        const head = await http.query(qcApi.ops.head, auth);
        return { deployment: url, project: head.project, stream: head.stream };
      }),
    push: (ops: ReadonlyArray<Op>) =>
      call("ops:push", async (): Promise<PushResult> => http.mutation(qcApi.ops.push, { ...auth, ops: [...ops] })),
    pull: (after: number, limit: number) =>
      call("ops:pull", async (): Promise<PullPage> => http.query(qcApi.ops.pull, { ...auth, after, limit })),
    subscribeHead: (onHead, onError) => {
      if (closed) {
        queueMicrotask(() =>
          onError(new RemoteError({ reason: "unreachable", message: "ops:head subscription: this remote is closed", retryable: false })),
        );
        return () => undefined;
      }
      let last: number | undefined;
      return socket.onUpdate(
        qcApi.ops.head,
        auth,
        (value) => {
          if (value.head === last) return;
          last = value.head;
          onHead(value.head);
        },
        (error) => onError(toRemoteError(error, "ops:head subscription")),
      );
    },
    subscribeConnection: (listener: (state: ConnectionState) => void) =>
      closed ? (listener("disconnected"), () => undefined) : watchConnection(socket, listener),
    close: async () => {
      if (closed) return;
      closed = true;
      const closing = socket.close();
      sockets.abortConnecting(); // else close() waits for a handshake that may never finish
      await closing;
    },
  };
}
