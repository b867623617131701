/**
 * Test support: qc's /mcp mounted on a small Hono server on 127.0.0.1 (as
 * `qc serve` mounts it), over a real project file, with a launch token.
 */
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { agentOf } from "@qc/core";
import { mountMcp, type MountMcpOptions, type MountedMcp } from "../../src/mcp/index.js";
import { openProject, type Project } from "../../src/project/index.js";

export interface McpHttpServer {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  readonly project: Project;
  readonly mcp: MountedMcp;
  readonly close: () => Promise<void>;
}

/** `sessions`: the session limits to mount /mcp with (short ones in tests). */
export async function startMcpHttp(
  path: string,
  token = "launch-token-for-tests",
  sessions: Pick<MountMcpOptions, "idleMs" | "maxSessions"> = {},
): Promise<McpHttpServer> {
  const project = openProject(path, {}, { actAs: agentOf });
  const app = new Hono();
  let port = 0;
  const mcp = mountMcp(app, project, { token, port: () => port, log: () => undefined, ...sessions });
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, () => resolve(s as Server));
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    port,
    token,
    project,
    mcp,
    close: async () => {
      await mcp.close();
      server.closeAllConnections(); // open event streams would keep close() waiting
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await project.close();
    },
  };
}
