/**
 * The qc MCP server over Streamable HTTP, mounted at `/mcp` of a Hono app
 * (the app's local web server, `qc serve`). Stateful sessions: each
 * initialize gets a session id and its own McpServer (resource updates
 * travel on the session's GET event stream). Every request passes the
 * local guard (Host/Origin, launch token) first. The server must listen on
 * 127.0.0.1; `port` tells the guard which port that is.
 */
import { randomUUID } from "node:crypto";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import type { Env, Hono } from "hono";
import { watchStatus, type Project, type StatusStream } from "../project/index.js";
import { localGuard } from "./local-guard.js";
import { buildMcpServer } from "./server.js";

export interface MountMcpOptions {
  /** The launch token clients must present. */
  readonly token: string;
  /** The port the Hono app listens on (for the Host/Origin check). */
  readonly port: () => number;
  readonly readOnly?: boolean;
  /** Default "/mcp". */
  readonly path?: string;
  readonly log?: (text: string) => void;
}

export interface MountedMcp {
  readonly sessions: () => number;
  /** Ends every session (and its event stream) and the status stream. */
  readonly close: () => Promise<void>;
}

export function mountMcp<E extends Env>(app: Hono<E>, project: Project, options: MountMcpOptions): MountedMcp {
  const path = options.path ?? "/mcp";
  const sessions = new Map<string, WebStandardStreamableHTTPServerTransport>();
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
      status ??= watchStatus(project);
      transport = await openSession(project, status, sessions, options);
    }
    return transport.handleRequest(c.req.raw, { parsedBody: body });
  });
  return {
    sessions: () => sessions.size,
    close: async () => {
      for (const t of [...sessions.values()]) await t.close();
      status?.close();
      status = undefined;
    },
  };
}

async function openSession(
  project: Project,
  status: StatusStream,
  sessions: Map<string, WebStandardStreamableHTTPServerTransport>,
  options: MountMcpOptions,
): Promise<WebStandardStreamableHTTPServerTransport> {
  const transport: WebStandardStreamableHTTPServerTransport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: () => randomUUID(),
    onsessioninitialized: (id) => void sessions.set(id, transport),
    onsessionclosed: (id) => void sessions.delete(id),
  });
  transport.onclose = () => {
    if (transport.sessionId !== undefined) sessions.delete(transport.sessionId);
  };
  const server = buildMcpServer(project, {
    status,
    ...(options.readOnly === undefined ? {} : { readOnly: options.readOnly }),
    ...(options.log === undefined ? {} : { log: options.log }),
  });
  await server.connect(transport);
  return transport;
}

function rpcError(code: number, message: string) {
  return { jsonrpc: "2.0", error: { code, message }, id: null };
}
