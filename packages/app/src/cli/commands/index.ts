/**
 * Every command group of `qc`, registered in one place. To add a group
 * (codes, sources, segments, ...): write `commands/<group>.ts` exporting a
 * `register…(program, io)` that adds its commands with `withProjectOption`
 * and does its work in `withProject(options, io, (project) => …)` through
 * `project.replica.commands` / `project.replica.read`; then list it here.
 * Errors are thrown, never printed: main.ts maps them (error-table.ts).
 */
import type { Command } from "commander";
import type { Io } from "../io.js";
import { registerAuditCommands } from "./audit.js";
import { registerCaseCommands } from "./cases.js";
import { registerCodeCommands } from "./codes.js";
import { registerJoinCommand } from "./join.js";
import { registerMcpCommand } from "./mcp.js";
import { registerMemoCommands } from "./memos.js";
import { registerProjectCommands } from "./project.js";
import { registerSegmentCommands } from "./segments.js";
import { registerServeCommand } from "./serve.js";
import { registerSettingsCommands } from "./settings.js";
import { registerSourceCommands } from "./sources.js";
import { registerSyncCommands } from "./sync.js";
import { registerTeamCommands } from "./team.js";
import { registerUndoCommand } from "./undo.js";

export type RegisterCommands = (program: Command, io: Io) => void;

export const COMMAND_GROUPS: ReadonlyArray<RegisterCommands> = [
  registerProjectCommands,
  registerSettingsCommands,
  registerTeamCommands,
  registerJoinCommand,
  registerSyncCommands,
  registerMcpCommand,
  registerCodeCommands,
  registerSourceCommands,
  registerSegmentCommands,
  registerCaseCommands,
  registerMemoCommands,
  registerAuditCommands,
  registerUndoCommand,
  registerServeCommand,
];
