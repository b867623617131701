/** `qc memo show TYPE ENTITY [--json]` and `qc memo set TYPE ENTITY TEXT` (replaces the memo). */
import type { Command } from "commander";
import * as Memos from "../../project/research/memos.js";
import type { Io } from "../io.js";
import { withProject, withProjectOption, type ProjectOptions } from "../project-option.js";

export function registerMemoCommands(program: Command, io: Io): void {
  const memo = program.command("memo").description(`read or write the memo of a ${Memos.MEMO_TYPES.join(", ")}`);
  withProjectOption(
    memo.command("show").argument("<type>").argument("<entity>", "id or name (segments: id; project: any)").description("print a memo"),
  )
    .option("--json", "print as JSON")
    .action((type: string, ref: string, options: ProjectOptions & { json?: boolean }) =>
      withProject(options, io, ({ replica }) => {
        const view = Memos.readMemo(replica, type, ref);
        if (options.json === true) io.json({ type, ...view });
        else io.out(view.memo);
      }),
    );
  withProjectOption(memo.command("set").argument("<type>").argument("<entity>").argument("<text>").description("replace a memo")).action(
    (type: string, ref: string, text: string, options: ProjectOptions) =>
      withProject(options, io, ({ replica }) => {
        Memos.writeMemo(replica, type, ref, text);
        io.err(`memo of the ${type} saved`);
      }),
  );
}
