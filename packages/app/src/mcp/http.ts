/**
 * The qc MCP server over Streamable HTTP, mounted at `/mcp` of a Hono app
 * (the app's local web server, `qc serve`). Stateful sessions: each
 * initialize gets a session id and its own McpServer (resource updates
 * travel on the session's GET event stream). Every request passes the
 * local guard (Host/Origin, launch token) first. The server must listen on
 * 127.0.0.1; `port` tells the guard which port that is.
 *
 * A client that goes away without ending its session (DELETE) would leave
 * it, its McpServer and its subscriptions open for as long as qc serve
 * runs: a session with no request for `idleMs` (default 30 minutes) is
 * closed, and its id then gets 404 ("Session not found": initialize again).
 * At most `maxSessions` (default 32) are open at once; one more initialize
 * gets 503 with what to do, so a client that leaks sessions cannot grow
 * the server without bound.
 */
import { randomUUID } from "node:crypto";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import type { Env, Hono } from "hono";
import { watchStatus, type Project, type StatusStream } from "../project/index.js";
import { localGuard } from "./local-guard.js";
import { buildMcpServer } from "./server.js";

export const SESSION_IDLE_MS = 30 * 60 * 1000;
export const MAX_SESSIONS = 32;

export interface MountMcpOptions {
  /** The launch token clients must present. */
  readonly token: string;
  /** The port the Hono app listens on (for the Host/Origin check). */
  readonly port: () => number;
  readonly readOnly?: boolean;
  /** Default "/mcp". */
  readonly path?: string;
  readonly log?: (text: string) => void;
  /** A session with no request for this long is closed (default SESSION_IDLE_MS). */
  readonly idleMs?: number;
  /** How many sessions may be open at once (default MAX_SESSIONS). */
  readonly maxSessions?: number;
}

export interface MountedMcp {
  readonly sessions: () => number;
  /** Ends every session (and its event stream) and the status stream. */
  readonly close: () => Promise<void>;
}

export function mountMcp<E extends Env>(app: Hono<E>, project: Project, options: MountMcpOptions): MountedMcp {
  const path = options.path ?? "/mcp";
  const maxSessions = options.maxSessions ?? MAX_SESSIONS;
  const sessions = makeSessions(options.idleMs ?? SESSION_IDLE_MS);
  let opening = 0;
  let status: StatusStream | undefined;
  app.use(path, localGuard({ port: options.port, token: options.token }));
  app.all(path, async (c) => {
    const sid = c.req.header("mcp-session-id");
    let body: unknown;
    if (c.req.method === "POST") {
      try {
        body = await c.req.json();
      } catch {
        return c.json(rpcError(-32700, "Parse error: the body is not JSON"), 400);
      }
    }
    let transport = sid === undefined ? undefined : sessions.get(sid);
    if (sid !== undefined && transport === undefined) return c.json(rpcError(-32001, "Session not found: send initialize again"), 404);
    if (transport === undefined) {
      if (c.req.method !== "POST" || !isInitializeRequest(body))
        return c.json(rpcError(-32000, "Bad Request: no mcp-session-id header; send initialize first"), 400);
      if (sessions.size() + opening >= maxSessions) return c.json(rpcError(-32000, tooMany(maxSessions, sessions.idleMs)), 503);
      status ??= watchStatus(project);
      opening += 1;
      try {
        transport = await openSession(project, status, sessions, options);
        return await transport.handleRequest(c.req.raw, { parsedBody: body });
      } finally {
        opening -= 1;
      }
    }
    sessions.touch(transport);
    return transport.handleRequest(c.req.raw, { parsedBody: body });
  });
  return {
    sessions: () => sessions.size(),
    close: async () => {
      await sessions.closeAll();
      status?.close();
      status = undefined;
    },
  };
}

async function openSession(project: Project, status: StatusStream, sessions: Sessions, options: MountMcpOptions): Promise<Transport> {
  const transport: Transport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: () => randomUUID(),
    onsessioninitialized: (id) => sessions.add(id, transport),
    onsessionclosed: (id) => sessions.remove(id),
  });
  transport.onclose = () => {
    if (transport.sessionId !== undefined) sessions.remove(transport.sessionId);
  };
  const server = buildMcpServer(project, {
    status,
    ...(options.readOnly === undefined ? {} : { readOnly: options.readOnly }),
    ...(options.log === undefined ? {} : { log: options.log }),
  });
  await server.connect(transport);
  return transport;
}

type Transport = WebStandardStreamableHTTPServerTransport;

interface Sessions {
  readonly idleMs: number;
  readonly size: () => number;
  readonly get: (id: string) => Transport | undefined;
  readonly add: (id: string, transport: Transport) => void;
  /** A request arrived: the session's idle time starts again. */
  readonly touch: (transport: Transport) => void;
  readonly remove: (id: string) => void;
  readonly closeAll: () => Promise<void>;
}

/** The open sessions by id, each with a timer that closes it after `idleMs` without a request. */
function makeSessions(idleMs: number): Sessions {
  const open = new Map<string, { readonly transport: Transport; idle: NodeJS.Timeout }>();
  const idleTimer = (transport: Transport): NodeJS.Timeout => {
    // close() fires onclose, which removes the session.
    const timer = setTimeout(() => void transport.close(), idleMs);
    timer.unref();
    return timer;
  };
  return {
    idleMs,
    size: () => open.size,
    get: (id) => open.get(id)?.transport,
    add: (id, transport) => void open.set(id, { transport, idle: idleTimer(transport) }),
    touch: (transport) => {
      const entry = transport.sessionId === undefined ? undefined : open.get(transport.sessionId);
      if (entry === undefined) return;
      clearTimeout(entry.idle);
      entry.idle = idleTimer(transport);
    },
    remove: (id) => {
      clearTimeout(open.get(id)?.idle);
      open.delete(id);
    },
    closeAll: async () => {
      for (const { transport } of [...open.values()]) await transport.close();
    },
  };
}

function tooMany(max: number, idleMs: number): string {
  return (
    `Too many open MCP sessions (${max}): end the sessions you no longer use (DELETE /mcp with their mcp-session-id), ` +
    `or wait: a session with no request for ${idleMs >= 60_000 ? `${Math.round(idleMs / 60_000)} minutes` : `${Math.round(idleMs / 1000)} seconds`} is closed`
  );
}

function rpcError(code: number, message: string) {
  return { jsonrpc: "2.0", error: { code, message }, id: null };
}
