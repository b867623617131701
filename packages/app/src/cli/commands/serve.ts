/**
 * `qc serve --project FILE [--port N]`: the web UI and /mcp on 127.0.0.1
 * (web/server.ts) until SIGINT/SIGTERM. Prints the launch URL (it holds
 * the launch token: open it once) on stdout, messages on stderr.
 */
import type { Command } from "commander";
import { appError } from "../../project/index.js";
import { startWebServer } from "../../web/server.js";
import type { Io } from "../io.js";
import { projectPath, withProjectOption, type ProjectOptions } from "../project-option.js";
import { untilSignal } from "./sync.js";

export function registerServeCommand(program: Command, io: Io): void {
  withProjectOption(
    program.command("serve").description("open this project in the browser (a local web server on 127.0.0.1; Ctrl-C stops)"),
  )
    .option("--port <n>", "the port to listen on (default: any free port)", "0")
    .action(async (options: ProjectOptions & { port: string }) => {
      const server = await startWebServer({ path: projectPath(options, io), port: port(options.port), env: io.env, log: io.err });
      io.out(server.launchUrl);
      io.err(
        `qc serve: open the link above in your browser (it works once per browser); ${server.project.sync() === undefined ? "not syncing here" : "syncing"}; Ctrl-C stops`,
      );
      await untilSignal();
      await server.close();
    });
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw appError("invalid-argument", `--port takes a port number (1-65535, or 0 for any free port), not ${JSON.stringify(value)}`);
  return n;
}
