/** `qc mcp --project FILE [--actor NAME] [--read-only]`: the MCP server over stdio, for an AI agent's client. */
import type { Command } from "commander";
import { serveStdio } from "../../mcp/index.js";
import type { Io } from "../io.js";
import { projectPath, withProjectOption, type ProjectOptions } from "../project-option.js";

export function registerMcpCommand(program: Command, io: Io): void {
  withProjectOption(
    program.command("mcp").description("serve this project to an AI agent over MCP (stdio: JSON-RPC on stdout, logs on stderr)"),
  )
    .option("--actor <name>", "who the agent's edits are by (default: agent:<researcher>)")
    .option("--read-only", "offer no tool that changes the project or its settings")
    .action((options: ProjectOptions & { actor?: string; readOnly?: boolean }) =>
      serveStdio({ path: projectPath(options, io), actor: options.actor, readOnly: options.readOnly, env: io.env }),
    );
}
