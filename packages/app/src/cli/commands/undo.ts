/** `qc undo OP_ID`, `qc undo --last N`, with `--force` to replace later edits; `--json` prints what was written. */
import { CommandError } from "@qc/core";
import type { Command } from "commander";
import * as Audit from "../../project/audit.js";
import type { Io } from "../io.js";
import { withProject, withProjectOption, type ProjectOptions } from "../project-option.js";

export function registerUndoCommand(program: Command, io: Io): void {
  withProjectOption(
    program
      .command("undo")
      .argument("[op]", "the id of the op to undo (qc log lists them)")
      .description("undo an edit with new ops (synced like any edit)"),
  )
    .option("--last <n>", "undo your last N edits instead")
    .option("--force", "undo even if someone changed it since (their change is replaced)")
    .option("--json", "print the ops undone and written as JSON")
    .action((op: string | undefined, options: ProjectOptions & { last?: string; force?: boolean; json?: boolean }) =>
      withProject(options, io, ({ replica }) => {
        const result = Audit.undo(replica, requestOf(op, options));
        if (options.json === true) io.json(result);
        else for (const id of result.ops) io.out(id);
        io.err(`undid ${result.undone.length} edit${result.undone.length === 1 ? "" : "s"} (undo an undo's op id to redo it)`);
      }),
    );
}

function requestOf(op: string | undefined, options: { last?: string; force?: boolean }): Audit.UndoRequest {
  const force = options.force === true;
  if (op !== undefined && options.last === undefined) return { op, force };
  if (op === undefined && options.last !== undefined && /^\d+$/.test(options.last)) return { last: Number(options.last), force };
  throw new CommandError({ reason: "invalid-value", message: "give the op id to undo, or --last N (a whole number), one of them" });
}
