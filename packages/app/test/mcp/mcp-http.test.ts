/**
 * qc's /mcp over Streamable HTTP on a Hono server bound to 127.0.0.1: the
 * SDK's StreamableHTTPClientTransport calls tools and receives status
 * updates on its session's event stream; a request naming another host or
 * origin gets 403 (DNS rebinding), one without the launch token 401, and no
 * answer ever holds the token. Sessions left open are closed after an idle
 * time, and one initialize over the cap is refused with what to do (short
 * limits given as options here, the defaults in docs/user-guide/mcp.md).
 */
import http from "node:http";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ResourceUpdatedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMcpHttp, type McpHttpServer } from "../support/mcp-http-server.js";
import { makeProjectFile, tempDir } from "../support/mcp-session.js";

const INIT = JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "0" } },
});

const dir = tempDir();
let server: McpHttpServer;

beforeAll(async () => {
  server = await startMcpHttp(await makeProjectFile(dir.path));
});
afterAll(async () => {
  await server?.close();
  dir.remove();
});

function post(headers: Record<string, string>, path = "/mcp"): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port: server.port,
        path,
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...headers },
      },
      (res) => {
        let body = "";
        res.on("data", (d: Buffer) => (body += d.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", reject);
    req.end(INIT);
  });
}

describe("/mcp over Streamable HTTP", () => {
  it("serves the tools and sends status updates on the session's event stream", async () => {
    const client = new Client({ name: "qc-http-test", version: "0.0.0" });
    const updates: Array<string> = [];
    let arrived: (() => void) | undefined;
    client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => {
      updates.push(n.params.uri);
      arrived?.();
    });
    const transport = new StreamableHTTPClientTransport(new URL(server.url), {
      requestInit: { headers: { Authorization: `Bearer ${server.token}` } },
    });
    await client.connect(transport);
    try {
      expect((await client.listTools()).tools.map((t) => t.name)).toContain("get_sync_status");
      const status = await client.callTool({ name: "get_sync_status", arguments: {} });
      expect(status.structuredContent).toMatchObject({ state: "disabled", toPush: expect.any(Number) });
      await client.subscribeResource({ uri: "qc://sync/status" });
      const update = new Promise<void>((resolve) => (arrived = resolve));
      const created = await client.callTool({ name: "create_code", arguments: { name: "Over HTTP" } });
      expect(created.isError).not.toBe(true);
      await update; // one more edit to push: the status changed
      expect(updates).toContain("qc://sync/status");
      expect(server.mcp.sessions()).toBe(1);
      await transport.terminateSession();
      expect(server.mcp.sessions()).toBe(0);
    } finally {
      await client.close();
    }
  });

  it("refuses another Host or Origin with 403 and a missing or wrong token with 401", async () => {
    const host = `127.0.0.1:${server.port}`;
    const bearer = `Bearer ${server.token}`;
    const codes = {
      evilHost: (await post({ host: "evil.example.com", origin: "http://evil.example.com", authorization: bearer })).status,
      evilOrigin: (await post({ host, origin: "http://evil.example.com", authorization: bearer })).status,
      otherPort: (await post({ host: "127.0.0.1:1", authorization: bearer })).status,
      noToken: (await post({ host })).status,
      wrongToken: (await post({ host, authorization: "Bearer nope" })).status,
      sameOrigin: (await post({ host, origin: `http://${host}`, authorization: bearer })).status,
      localhostQueryToken: (await post({ host: `localhost:${server.port}` }, `/mcp?token=${server.token}`)).status,
    };
    expect(codes).toEqual({
      evilHost: 403,
      evilOrigin: 403,
      otherPort: 403,
      noToken: 401,
      wrongToken: 401,
      sameOrigin: 200,
      localhostQueryToken: 200,
    });
    const refused = await post({ host, authorization: "Bearer nope" });
    expect(refused.body).toMatch(/launch token/);
    expect(refused.body).not.toContain(server.token);
  });
});

describe("/mcp session limits", () => {
  const limitsDir = tempDir();
  afterAll(() => limitsDir.remove());

  function connect(target: McpHttpServer): { client: Client; transport: StreamableHTTPClientTransport; ready: Promise<void> } {
    const client = new Client({ name: "qc-limits-test", version: "0.0.0" });
    const transport = new StreamableHTTPClientTransport(new URL(target.url), {
      requestInit: { headers: { Authorization: `Bearer ${target.token}` } },
    });
    return { client, transport, ready: client.connect(transport) };
  }

  it("closes a session nobody ends once it has had no request for the idle time; its id then gets 'Session not found'", async () => {
    const idle = await startMcpHttp(await makeProjectFile(limitsDir.path, "idle.qc"), "idle-token", { idleMs: 300 });
    const { client, ready } = connect(idle);
    try {
      await ready;
      expect((await client.callTool({ name: "get_sync_status", arguments: {} })).isError).not.toBe(true);
      expect(idle.mcp.sessions()).toBe(1);
      while (idle.mcp.sessions() > 0) await new Promise((r) => setTimeout(r, 50));
      await expect(client.callTool({ name: "get_sync_status", arguments: {} })).rejects.toThrow(/Session not found/);
    } finally {
      await client.close();
      await idle.close();
    }
  });

  it("refuses one initialize over the cap with 503 and what to do; ending a session makes room", async () => {
    const capped = await startMcpHttp(await makeProjectFile(limitsDir.path, "capped.qc"), "capped-token", { maxSessions: 2 });
    const first = connect(capped);
    await first.ready;
    const second = connect(capped);
    await second.ready;
    const third = connect(capped);
    try {
      await expect(third.ready).rejects.toMatchObject({
        code: 503,
        message: expect.stringMatching(/Too many open MCP sessions \(2\): end the sessions you no longer use \(DELETE \/mcp/),
      });
      expect(capped.mcp.sessions()).toBe(2);
      await first.transport.terminateSession();
      const fourth = connect(capped);
      await fourth.ready;
      expect((await fourth.client.listTools()).tools.map((t) => t.name)).toContain("list_codes");
      await fourth.client.close();
    } finally {
      for (const { client } of [first, second, third]) await client.close();
      await capped.close();
    }
  });
});
