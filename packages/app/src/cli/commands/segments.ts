/**
 * `qc segment code CODE SOURCE (--range START:END | --quote TEXT)`,
 * `qc segment important|recode|delete|restore SEGMENT …`, and
 * `qc segments [--code C] [--source S] [--coder NAME]`. A segment's memo is
 * `qc memo set segment ID TEXT`.
 */
import { CommandError } from "@qc/core";
import type { Command } from "commander";
import * as Segments from "../../project/research/segments.js";
import type { Io } from "../io.js";
import { withProject, withProjectOption, type ProjectOptions } from "../project-option.js";

export function registerSegmentCommands(program: Command, io: Io): void {
  withProjectOption(program.command("segments").description("coded segments, by code, source or coder"))
    .option("--code <code>", "only this code (segments of codes merged into it too)")
    .option("--source <source>", "only this source")
    .option("--coder <name>", "only segments this researcher coded")
    .option("--json", "print as JSON")
    .action((options: ProjectOptions & { code?: string; source?: string; coder?: string; json?: boolean }) =>
      withProject(options, io, ({ replica }) => {
        const segments = Segments.listSegments(replica, options);
        if (options.json === true) return io.json(segments);
        for (const s of segments)
          io.out(
            `${s.important ? "! " : ""}[${s.start}-${s.end}] "${s.text}"  code ${s.code}  source ${s.source}  by ${s.coder}  ${io.color.dim(s.id)}`,
          );
        io.err(`${segments.length} segment${segments.length === 1 ? "" : "s"}`);
      }),
    );
  const segment = program.command("segment").description("code a passage, mark it important, recode, delete or restore a segment");
  withProjectOption(segment.command("code").argument("<code>").argument("<source>").description("code a passage of a source"))
    .option("--range <start:end>", "character positions, end exclusive (0:5 is the first five characters)")
    .option("--quote <text>", "the exact passage (it must occur once in the source)")
    .option("--important", "mark it important")
    .action((code: string, source: string, options: ProjectOptions & { range?: string; quote?: string; important?: boolean }) =>
      withProject(options, io, ({ replica }) => {
        const id = Segments.codePassage(replica, {
          code,
          source,
          passage: passageOf(options),
          ...(options.important === true ? { important: true } : {}),
        });
        io.out(id);
        io.err("coded the passage");
      }),
    );
  withProjectOption(
    segment.command("important").argument("<segment>").argument("<on|off>").description("mark a segment important or not"),
  ).action((id: string, flag: string, options: ProjectOptions) =>
    withProject(options, io, ({ replica }) => {
      if (flag !== "on" && flag !== "off")
        throw new CommandError({ reason: "invalid-value", message: `important is on or off, not ${JSON.stringify(flag)}` });
      Segments.markImportant(replica, id, flag === "on");
      io.err(`segment ${flag === "on" ? "marked" : "no longer"} important`);
    }),
  );
  withProjectOption(segment.command("recode").argument("<segment>").argument("<code>").description("give a segment another code")).action(
    (id: string, code: string, options: ProjectOptions) =>
      withProject(options, io, ({ replica }) => Segments.recodeSegment(replica, id, code)),
  );
  for (const [name, what] of [
    ["delete", "delete a segment"],
    ["restore", "restore a deleted segment"],
  ] as const) {
    withProjectOption(segment.command(name).argument("<segment>").description(what)).action((id: string, options: ProjectOptions) =>
      withProject(options, io, ({ replica }) =>
        name === "delete" ? replica.commands.remove("segment", id) : replica.commands.restore("segment", id),
      ),
    );
  }
}

function passageOf(options: { range?: string; quote?: string }): Segments.Passage {
  if (options.quote !== undefined && options.range === undefined) return { quote: options.quote };
  const match = options.range === undefined || options.quote !== undefined ? null : /^(\d+):(\d+)$/.exec(options.range);
  if (match === null)
    throw new CommandError({
      reason: "invalid-value",
      message: "give the passage as --range START:END (e.g. --range 0:42) or --quote TEXT, one of them",
    });
  return { start: Number(match[1]), end: Number(match[2]) };
}
