/**
 * The local Convex-protocol test backend: node:http + ws in front of
 * convex-test running /convex. A TEST AND DEMO FIXTURE, NOT A PRODUCT
 * BACKEND: one process, data in memory, no auth, no OCC. Request bodies and
 * socket messages are bounded (request-body.ts); other limits are what the
 * functions enforce themselves.
 *
 * `stop()` drops every socket and stops listening but keeps the data (a
 * request already running may still commit, its answer lost: as when a real
 * server dies after a commit);
 * `restart()` listens again on the same port, so clients see a backend that
 * went away and came back with nothing lost.
 */
import { createServer, type Server } from "node:http";
import type { Socket } from "node:net";
import type { Duplex } from "node:stream";
import { WebSocketServer } from "ws";
import { makeBackendState, type BackendState } from "./backend-state.js";
import { handleHttp } from "./http-api.js";
import { MAX_REQUEST_BYTES } from "./request-body.js";
import { makeSyncSession } from "./sync-session.js";

export interface LocalBackendOptions {
  /** 0 (the default) picks an ephemeral port, kept across restarts. */
  readonly port?: number;
  /** Defaults to 127.0.0.1; tests never listen elsewhere. */
  readonly host?: string;
  /** Reuse data from another backend (or an earlier run in this process). */
  readonly state?: BackendState;
  /** The Convex functions directory; defaults to the workspace's /convex. */
  readonly convexDir?: string;
}

export interface LocalBackend {
  /** `http://127.0.0.1:<port>`: what Convex clients take as the deployment URL. */
  readonly url: string;
  readonly port: number;
  readonly state: BackendState;
  readonly stop: () => Promise<void>;
  readonly restart: () => Promise<void>;
}

const SYNC_PATH = /^\/api\/[^/]+\/sync$/;

export async function startLocalBackend(options: LocalBackendOptions = {}): Promise<LocalBackend> {
  const state = options.state ?? (await makeBackendState(options.convexDir !== undefined ? { convexDir: options.convexDir } : {}));
  const host = options.host ?? "127.0.0.1";
  let listener = await listen(state, host, options.port ?? 0);
  const port = listener.port;
  return {
    url: `http://${host}:${port}`,
    port,
    state,
    stop: () => listener.stop(),
    restart: async () => {
      await listener.stop();
      listener = await listen(state, host, port);
    },
  };
}

interface Listener {
  readonly port: number;
  readonly stop: () => Promise<void>;
}

async function listen(state: BackendState, host: string, port: number): Promise<Listener> {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_REQUEST_BYTES });
  // Upgraded sockets leave the HTTP server's books: track them so stop() can drop them,
  // including one whose handshake is still in progress when stop() runs.
  const upgrading = new Set<Duplex>();
  let stopping = false;
  const server = createServer((req, res) => {
    handleHttp(state, req, res).catch((error: unknown) => {
      res.writeHead(500).end(String(error));
    });
  });
  server.on("upgrade", (req, socket: Duplex, head) => {
    if (stopping || !SYNC_PATH.test(new URL(req.url ?? "/", "http://localhost").pathname)) {
      socket.destroy();
      return;
    }
    upgrading.add(socket);
    wss.handleUpgrade(req, socket as Socket, head, (ws) => {
      upgrading.delete(socket);
      if (stopping) ws.terminate();
      else makeSyncSession(ws, state);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("local backend: no TCP address");
  let stopped: Promise<void> | undefined;
  return {
    port: address.port,
    stop: () => {
      stopping = true;
      for (const socket of upgrading) socket.destroy();
      return (stopped ??= stopServer(server, wss));
    },
  };
}

async function stopServer(server: Server, wss: WebSocketServer): Promise<void> {
  for (const ws of wss.clients) ws.terminate();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await closed;
  await new Promise<void>((resolve) => wss.close(() => resolve()));
}
