/**
 * `qc codes` (the code tree with segment counts) and `qc code …` /
 * `qc category …`: add, rename, recolour, move, delete, restore; `qc code
 * merge FROM INTO`. Codes and categories are named by id or name.
 */
import type { Command } from "commander";
import * as Codes from "../../project/research/codes.js";
import type { Io } from "../io.js";
import { withProject, withProjectOption, type ProjectOptions } from "../project-option.js";
import { printTree } from "../tree-output.js";

type Json = ProjectOptions & { json?: boolean };

export function registerCodeCommands(program: Command, io: Io): void {
  withProjectOption(program.command("codes").description("the code tree: categories and codes with their segment counts"))
    .option("--json", "print the tree as JSON")
    .action((options: Json) =>
      withProject(options, io, ({ replica }) => {
        const tree = Codes.codeTree(replica);
        if (options.json === true) io.json(tree);
        else if (tree.length === 0) io.err("no codes yet: qc code add NAME --color #RRGGBB");
        else printTree(tree, io);
      }),
    );
  registerKind(program.command("code").description("add, rename, recolour, move, delete, restore or merge a code"), "code", io);
  registerKind(program.command("category").description("add, rename, recolour, move, delete or restore a category"), "category", io);
}

function registerKind(group: Command, kind: Codes.CodeKind, io: Io): void {
  const run = (options: ProjectOptions, work: (replica: Parameters<typeof Codes.codeTree>[0]) => string, done: string) =>
    withProject(options, io, ({ replica }) => {
      const id = work(replica);
      io.out(id);
      io.err(`${done} ${kind} "${Codes.codeName(replica, kind, id)}"`);
    });
  withProjectOption(group.command("add").argument("<name>").description(`add a ${kind}`))
    .requiredOption("--color <#RRGGBB>", "its colour, e.g. #3a7bd5")
    .option("--in <category>", "the category it goes in (default: top level)")
    .action((name: string, options: ProjectOptions & { color: string; in?: string }) =>
      run(
        options,
        (r) => Codes.addCode(r, { kind, name, color: options.color, ...(options.in === undefined ? {} : { parent: options.in }) }),
        "added",
      ),
    );
  withProjectOption(group.command("rename").argument(`<${kind}>`).argument("<name>").description(`rename a ${kind}`)).action(
    (ref: string, name: string, options: ProjectOptions) => run(options, (r) => Codes.renameCode(r, kind, ref, name), "renamed"),
  );
  withProjectOption(
    group.command("recolour").alias("recolor").argument(`<${kind}>`).argument("<#RRGGBB>").description(`give a ${kind} another colour`),
  ).action((ref: string, color: string, options: ProjectOptions) =>
    run(options, (r) => Codes.recolourCode(r, kind, ref, color), "recoloured"),
  );
  withProjectOption(group.command("move").argument(`<${kind}>`).description(`move a ${kind} into a category, or to the top level`))
    .option("--to <category>", "the category to move it into")
    .option("--top", "move it to the top level")
    .action((ref: string, options: ProjectOptions & { to?: string; top?: boolean }) =>
      run(options, (r) => Codes.moveCode(r, kind, ref, options.top === true ? null : (options.to ?? null)), "moved"),
    );
  withProjectOption(group.command("delete").argument(`<${kind}>`).description(`delete a ${kind} (restore brings it back)`)).action(
    (ref: string, options: ProjectOptions) => run(options, (r) => Codes.deleteCode(r, kind, ref), "deleted"),
  );
  withProjectOption(group.command("restore").argument(`<${kind}>`).description(`restore a deleted ${kind}`)).action(
    (ref: string, options: ProjectOptions) => run(options, (r) => Codes.restoreCode(r, kind, ref), "restored"),
  );
  if (kind !== "code") return;
  withProjectOption(
    group.command("merge").argument("<from>").argument("<into>").description("fold a code into another: its segments count for INTO"),
  ).action((from: string, into: string, options: ProjectOptions) =>
    withProject(options, io, ({ replica }) => {
      const ids = Codes.mergeCode(replica, from, into);
      io.out(ids.from);
      io.err(
        `merged code "${Codes.codeName(replica, "code", ids.from)}" into "${Codes.codeName(replica, "code", ids.into)}" (qc undo --last 1 splits it again)`,
      );
    }),
  );
}
