/**
 * The qc MCP server: one McpServer over one open project (the project
 * service does the work; this file only chooses what is offered). Build one
 * per connection: an McpServer serves exactly one transport, so HTTP makes
 * one per session. `readOnly` leaves out every tool that changes the
 * project or its settings.
 */
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { Project, StatusStream } from "../project/index.js";
import { addEditTools } from "./edit-tools.js";
import { addReadTools } from "./read-tools.js";
import { addStatusResource } from "./status-resource.js";
import { addSyncReadTools, addSyncSettingTools } from "./sync-tools.js";
import type { ToolContext } from "./tool-kit.js";

export const SERVER_VERSION = "0.1.0";

export interface McpServerOptions {
  readonly readOnly?: boolean;
  /** The project's status stream (shared by every session of a process). */
  readonly status: StatusStream;
  readonly log?: (text: string) => void;
}

export function buildMcpServer(project: Project, options: McpServerOptions): McpServer {
  const log = options.log ?? ((text: string) => void process.stderr.write(`${text}\n`));
  const server = new McpServer(
    { name: "qc", title: "qc: qualitative coding with your team", version: SERVER_VERSION },
    {
      // Declared up front: capabilities cannot be registered once connected.
      capabilities: { logging: {}, resources: { subscribe: true } },
      instructions: instructions(project, options.readOnly === true),
    },
  );
  const ctx: ToolContext = { server, secret: () => project.settings().token, log };
  addSyncReadTools(ctx, project);
  addReadTools(ctx, project);
  if (options.readOnly !== true) {
    addSyncSettingTools(ctx, project);
    addEditTools(ctx, project);
  }
  const stopUpdates = addStatusResource(server, options.status, log);
  const onclose = server.server.onclose;
  server.server.onclose = () => {
    stopUpdates();
    onclose?.();
  };
  return server;
}

function instructions(project: Project, readOnly: boolean): string {
  const who = `Edits are recorded as ${project.replica.actor}, so the team sees what you did.`;
  return [
    "qc is a qualitative research project shared by a team: sources (interview transcripts), codes in categories, coded segments, memos.",
    "Read with list_codes, list_sources, get_source, search_text, list_segments; positions are character indexes into a source's text.",
    readOnly ? "This server is read-only: it offers no edit tools." : `Code passages with batch_apply_codes (all or nothing). ${who}`,
    "get_sync_status says whether the team has your edits yet; subscribe to qc://sync/status for changes.",
  ].join("\n");
}
