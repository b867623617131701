/**
 * `qc sources`, `qc source import FILE [--name NAME]` (.txt, .md, .docx),
 * `qc source show SOURCE` (its text and coded segments), rename, delete,
 * restore. Sources are named by id or name.
 */
import type { Command } from "commander";
import * as Sources from "../../project/research/sources.js";
import type { Io } from "../io.js";
import { withProject, withProjectOption, type ProjectOptions } from "../project-option.js";

type Json = ProjectOptions & { json?: boolean };

export function registerSourceCommands(program: Command, io: Io): void {
  withProjectOption(program.command("sources").description("the sources with their length and segment counts"))
    .option("--json", "print as JSON")
    .action((options: Json) =>
      withProject(options, io, ({ replica }) => {
        const sources = Sources.listSources(replica);
        if (options.json === true) return io.json(sources);
        if (sources.length === 0) io.err("no sources yet: qc source import FILE");
        for (const s of sources) io.out(`${s.name}  ${s.characters} characters, ${s.segments} segments  ${io.color.dim(s.id)}`);
      }),
    );
  const source = program.command("source").description("import, show, rename, delete or restore a source");
  withProjectOption(
    source
      .command("import")
      .argument("<file>", `a ${Sources.IMPORTABLE.join(", ")} file`)
      .description("import a text source"),
  )
    .option("--name <name>", "its name (default: the file name)")
    .action((file: string, options: ProjectOptions & { name?: string }) =>
      withProject(options, io, async ({ replica }) => {
        const id = await Sources.importSource(replica, file, options.name);
        io.out(id);
        io.err(`imported ${file} (${Sources.showSource(replica, id).characters} characters)`);
      }),
    );
  withProjectOption(source.command("show").argument("<source>").description("a source's text and its coded segments"))
    .option("--json", "print as JSON")
    .action((ref: string, options: Json) =>
      withProject(options, io, ({ replica }) => {
        const detail = Sources.showSource(replica, ref);
        if (options.json === true) return io.json(detail);
        io.out(detail.text);
        io.err(`${detail.name}: ${detail.characters} characters, ${detail.segments} coded segments`);
        for (const s of detail.codedSegments) io.out(`[${s.start}-${s.end}] ${s.code}  "${s.text}"  by ${s.coder}  ${io.color.dim(s.id)}`);
      }),
    );
  const simple = (
    name: string,
    what: string,
    work: (replica: Parameters<typeof Sources.listSources>[0], ref: string, extra: string) => string,
    extra = false,
  ) => {
    const command = source.command(name).argument("<source>").description(what);
    if (extra) command.argument("<name>");
    withProjectOption(command).action((ref: string, ...rest: Array<unknown>) => {
      const options = (extra ? rest[1] : rest[0]) as ProjectOptions;
      return withProject(options, io, ({ replica }) => {
        io.out(work(replica, ref, extra ? String(rest[0]) : ""));
        io.err(`${name === "rename" ? "renamed" : `${name}d`} source`);
      });
    });
  };
  simple("rename", "rename a source", (r, ref, name) => Sources.renameSource(r, ref, name), true);
  simple("delete", "delete a source (restore brings it back)", (r, ref) => Sources.deleteSource(r, ref));
  simple("restore", "restore a deleted source", (r, ref) => Sources.restoreSource(r, ref));
}
