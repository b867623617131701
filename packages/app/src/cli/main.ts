/**
 * The `qc` command line: builds the program from the registered command
 * groups, runs it, and turns any thrown error into a message on stderr and
 * the exit code from the one error table (exit 2 for usage errors). Only the
 * command groups a run needs are loaded (commands/index.ts).
 */
import { Command, CommanderError } from "commander";
import { groupsFor } from "./commands/index.js";
import { makeIo, type Io } from "./io.js";

export async function runCli(argv: ReadonlyArray<string>, io: Io = makeIo()): Promise<number> {
  const program = new Command("qc")
    .description("qc: local-first qualitative research with your team")
    .exitOverride()
    .configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) });
  for (const register of await Promise.all(groupsFor(argv).map((group) => group.load()))) register(program, io);
  for (const command of program.commands) command.exitOverride();
  try {
    await program.parseAsync([...argv], { from: "user" });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    // Loaded only on failure: the error table reaches every error class.
    const { reportError } = await import("../project/error-table.js");
    const report = reportError(error);
    io.err(`${io.color.red("qc:")} ${report.message}`);
    if (argv.includes("--json"))
      process.stderr.write(
        `${JSON.stringify({ error: report.error, reason: report.reason, message: report.message, exitCode: report.exitCode })}\n`,
      );
    if (report.exitCode === 1 && error instanceof Error && error.stack !== undefined) io.err(error.stack);
    return report.exitCode;
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.env["QC_CLI_MAIN"] === "1") {
  runCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`qc: ${String(error)}\n`);
      process.exit(1);
    },
  );
}
