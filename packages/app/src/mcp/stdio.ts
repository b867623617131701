/**
 * `qc mcp` over stdio: stdout carries JSON-RPC and nothing else. Before
 * anything runs, the transport gets a private handle on stdout and every
 * other write to process.stdout (console.log of any dependency included)
 * goes to stderr, with the logs. The server takes the sync role when cloud
 * sync is on and no other process syncs the file, and later, when the
 * process that syncs it exits (keepSyncRole). It runs until the client
 * closes stdin, or SIGINT/SIGTERM; then the project is closed. When the
 * project is idle it runs the idle maintenance (project/idle-maintenance.ts).
 */
import { Writable } from "node:stream";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { agentOf } from "@qc/core";
import { keepMaintained, keepSyncRole, openProject, watchStatus, type Environment } from "../project/index.js";
import { buildMcpServer } from "./server.js";

export interface StdioOptions {
  readonly path: string;
  /** Who the edits are by (default agent:<researcher>). */
  readonly actor?: string | undefined;
  readonly readOnly?: boolean | undefined;
  readonly env: Environment;
}

export async function serveStdio(options: StdioOptions): Promise<void> {
  const rpcOut = guardStdout();
  const log = (text: string): void => void process.stderr.write(`${text}\n`);
  const project = openProject(options.path, options.env, { actAs: (researcher) => options.actor ?? agentOf(researcher) });
  const researcher = project.settings().actor;
  if (project.replica.actor !== researcher && project.replica.actor !== agentOf(researcher)) {
    log(
      `qc mcp: edits are recorded as ${project.replica.actor}; the sync server accepts only ${researcher} or ${agentOf(researcher)} with this file's token`,
    );
  }
  const status = watchStatus(project);
  const stopKeeping = keepSyncRole(project, () => log(`qc mcp: no other process syncs ${options.path} now; syncing here`));
  const stopMaintaining = keepMaintained(project.replica, { onError: (error) => log(`qc mcp: idle maintenance failed: ${String(error)}`) });
  try {
    const server = buildMcpServer(project, { status, readOnly: options.readOnly === true, log });
    await server.connect(new StdioServerTransport(process.stdin, rpcOut));
    log(
      `qc mcp: serving ${options.path} as ${project.replica.actor}${options.readOnly === true ? " (read-only)" : ""}; ${project.sync() === undefined ? "not syncing here" : "syncing"}`,
    );
    await untilClosed();
    await server.close();
  } finally {
    stopKeeping();
    stopMaintaining();
    status.close();
    await project.close();
  }
}

function guardStdout(): Writable {
  const write = process.stdout.write.bind(process.stdout) as (chunk: unknown, callback: (error?: Error | null) => void) => boolean;
  const rpcOut = new Writable({ write: (chunk, _encoding, callback) => void write(chunk, callback) });
  process.stdout.write = process.stderr.write.bind(process.stderr);
  return rpcOut;
}

function untilClosed(): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      process.stdin.off("end", done);
      process.off("SIGINT", done);
      process.off("SIGTERM", done);
      resolve();
    };
    process.stdin.on("end", done);
    process.on("SIGINT", done);
    process.on("SIGTERM", done);
  });
}
