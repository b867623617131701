/**
 * Test support: a qc project file in a temp dir and the SDK's own Client
 * connected to qc's MCP server over InMemoryTransport, with every
 * `notifications/resources/updated` recorded. Waiting is for a condition
 * (an update arriving, a status reached), never for a time.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { ResourceUpdatedNotificationSchema, type CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { agentOf } from "@qc/core";
import { createProject, openProject, watchStatus, type Project, type StatusStream } from "../../src/project/index.js";
import { buildMcpServer } from "../../src/mcp/index.js";

export interface TempDir {
  readonly path: string;
  readonly remove: () => void;
}

export function tempDir(prefix = "qc-mcp-"): TempDir {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** A new project file of researcher "alice", closed again: open it with `connectMcp`. */
export async function makeProjectFile(dir: string, name = "study.qc"): Promise<string> {
  const path = join(dir, name);
  await createProject(path, { name: "Interview study", actor: "alice" }, {}).close();
  return path;
}

export interface McpSession {
  readonly client: Client;
  readonly project: Project;
  readonly status: StatusStream;
  /** URIs of every resource update received, in order. */
  readonly updates: ReadonlyArray<string>;
  /** Resolves at the next update after the call. */
  readonly nextUpdate: () => Promise<void>;
  readonly call: (name: string, args?: Record<string, unknown>) => Promise<CallToolResult>;
  readonly close: () => Promise<void>;
}

export async function connectMcp(
  path: string,
  options: { readonly readOnly?: boolean; readonly env?: Record<string, string> } = {},
): Promise<McpSession> {
  const project = openProject(path, options.env ?? {}, { actAs: agentOf });
  const status = watchStatus(project);
  const server = buildMcpServer(project, { status, readOnly: options.readOnly === true, log: () => undefined });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: "qc-test", version: "0.0.0" });
  const updates: Array<string> = [];
  let waiters: Array<() => void> = [];
  client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => {
    updates.push(n.params.uri);
    const ready = waiters;
    waiters = [];
    for (const w of ready) w();
  });
  await client.connect(clientSide);
  return {
    client,
    project,
    status,
    updates,
    nextUpdate: () => new Promise<void>((resolve) => waiters.push(resolve)),
    call: async (name, args = {}) => (await client.callTool({ name, arguments: args })) as CallToolResult,
    close: async () => {
      await client.close();
      status.close();
      await project.close();
    },
  };
}

/** The text of a result's first content item. */
export function textOf(result: CallToolResult): string {
  const first = result.content[0];
  return first !== undefined && first.type === "text" ? first.text : "";
}
