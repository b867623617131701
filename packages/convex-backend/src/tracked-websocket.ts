/**
 * The WebSocket constructor handed to ConvexClient, wrapped so the remote can
 * abort a socket stuck in its opening handshake.
 *
 * Why: `ConvexClient.close()` waits for a connecting socket to open before
 * closing it, so against a server that accepts TCP but never completes the
 * handshake, close() would never resolve (and the socket would keep the
 * process alive). With `ws` (the Node default) a handshake timeout also lets
 * the client's own reconnect loop move on.
 */
import WebSocket from "ws";
import type { ConvexClientOptions } from "convex/browser";

export type WebSocketConstructor = NonNullable<ConvexClientOptions["webSocketConstructor"]>;

export interface TrackedWebSockets {
  readonly constructor: WebSocketConstructor;
  /** Fail every socket this constructor made that is still connecting (each fires `close`). */
  readonly abortConnecting: () => void;
}

/** Bound on the opening handshake of a `ws` socket. */
const HANDSHAKE_TIMEOUT_MS = 10_000;
const CONNECTING = 0;
const CLOSED = 3;

export function trackWebSockets(base: WebSocketConstructor = defaultWebSocket()): TrackedWebSockets {
  const live = new Set<InstanceType<WebSocketConstructor>>();
  const Base = base as unknown as new (url: string | URL, protocols?: string | string[]) => InstanceType<WebSocketConstructor>;
  class Tracked extends Base {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      for (const socket of live) if (socket.readyState === CLOSED) live.delete(socket);
      live.add(this);
    }
  }
  return {
    constructor: Tracked as unknown as WebSocketConstructor,
    abortConnecting: () => {
      for (const socket of live) if (socket.readyState === CONNECTING) socket.close();
    },
  };
}

/** The global WebSocket where there is one, else `ws` with a handshake timeout (Node 20). */
function defaultWebSocket(): WebSocketConstructor {
  if (typeof globalThis.WebSocket !== "undefined") return globalThis.WebSocket;
  class NodeWebSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { handshakeTimeout: HANDSHAKE_TIMEOUT_MS });
    }
  }
  return NodeWebSocket as unknown as WebSocketConstructor;
}
