/**
 * Every command group of `qc`, listed in one place with the top-level
 * commands it registers. A group's module is imported only when its command
 * runs (or for help and unknown commands, every group), so `qc status` does
 * not load the MCP server, the web server or the .docx reader: start-up is
 * mostly V8 compiling what is loaded.
 *
 * To add a group (codes, sources, segments, ...): write `commands/<group>.ts`
 * exporting a `register…(program, io)` that adds its commands with
 * `withProjectOption` and does its work in `withProject(options, io, (project) => …)`
 * through `project.replica.commands` / `project.replica.read`; then list it
 * here with its command names (test/cli-command-groups.test.ts checks them).
 * Errors are thrown, never printed: main.ts maps them (error-table.ts).
 */
import type { Command } from "commander";
import type { Io } from "../io.js";

export type RegisterCommands = (program: Command, io: Io) => void;

export interface CommandGroup {
  /** The top-level commands the group registers (aliases included). */
  readonly commands: ReadonlyArray<string>;
  readonly load: () => Promise<RegisterCommands>;
}

export const COMMAND_GROUPS: ReadonlyArray<CommandGroup> = [
  { commands: ["init", "info"], load: async () => (await import("./project.js")).registerProjectCommands },
  { commands: ["settings"], load: async () => (await import("./settings.js")).registerSettingsCommands },
  { commands: ["team"], load: async () => (await import("./team.js")).registerTeamCommands },
  { commands: ["join"], load: async () => (await import("./join.js")).registerJoinCommand },
  { commands: ["sync", "status"], load: async () => (await import("./sync.js")).registerSyncCommands },
  { commands: ["mcp"], load: async () => (await import("./mcp.js")).registerMcpCommand },
  { commands: ["codes", "code", "category"], load: async () => (await import("./codes.js")).registerCodeCommands },
  { commands: ["sources", "source"], load: async () => (await import("./sources.js")).registerSourceCommands },
  { commands: ["segments", "segment"], load: async () => (await import("./segments.js")).registerSegmentCommands },
  { commands: ["cases", "case", "attributes", "attribute"], load: async () => (await import("./cases.js")).registerCaseCommands },
  { commands: ["memo"], load: async () => (await import("./memos.js")).registerMemoCommands },
  {
    commands: ["log", "blame", "state-at", "conflicts", "resolve", "verify", "quarantine"],
    load: async () => (await import("./audit.js")).registerAuditCommands,
  },
  { commands: ["undo"], load: async () => (await import("./undo.js")).registerUndoCommand },
  { commands: ["serve"], load: async () => (await import("./serve.js")).registerServeCommand },
];

/**
 * The groups a run needs: the one owning the command named first in `argv`,
 * or every group when there is none (help, `--version`, a typo, which
 * commander answers from the full list).
 */
export function groupsFor(argv: ReadonlyArray<string>): ReadonlyArray<CommandGroup> {
  const name = argv.find((arg) => !arg.startsWith("-"));
  const owner = COMMAND_GROUPS.find((group) => name !== undefined && group.commands.includes(name));
  return owner === undefined ? COMMAND_GROUPS : [owner];
}
