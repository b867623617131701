/**
 * qc's MCP server (DESIGN.md §9): `buildMcpServer` over one project, over
 * stdio (`qc mcp`, stdio.ts) or Streamable HTTP mounted on a Hono app
 * (`mountMcp`, http.ts).
 */
export { buildMcpServer, SERVER_VERSION, type McpServerOptions } from "./server.js";
export { mountMcp, type MountMcpOptions, type MountedMcp } from "./http.js";
export { localGuard, type LocalGuardOptions } from "./local-guard.js";
export { serveStdio, type StdioOptions } from "./stdio.js";
export { STATUS_URI } from "./status-resource.js";
