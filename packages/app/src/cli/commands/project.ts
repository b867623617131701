/** `qc init FILE --name NAME --actor NAME` and `qc info`. */
import type { Command } from "commander";
import { createProject, readUserConfig, writeUserConfig } from "../../project/index.js";
import type { Io } from "../io.js";
import { withProject, withProjectOption, type ProjectOptions } from "../project-option.js";

export function registerProjectCommands(program: Command, io: Io): void {
  program
    .command("init")
    .description("create a new project file (primary storage: this SQLite file; cloud sync starts off)")
    .argument("<file>", "the new project file, e.g. study.qc")
    .requiredOption("--name <name>", "the project's name")
    .option("--actor <name>", "your name as a researcher (default: from ~/.config/qc)")
    .option("--json", "print the project as JSON")
    .action(async (file: string, options: { name: string; actor?: string; json?: boolean }) => {
      const actor = options.actor ?? readUserConfig(io.env).researcher ?? "";
      const project = createProject(file, { name: options.name, actor }, io.env);
      try {
        if (readUserConfig(io.env).researcher === undefined) writeUserConfig(io.env, { researcher: actor.trim() });
        const info = project.info();
        if (options.json === true) io.json(info);
        else io.out(`${info.file}: project "${info.name}" (${info.project}), you are ${info.actor}`);
        io.err(`next: qc settings set convex-url URL --project ${file}, then qc settings set cloud-sync on`);
      } finally {
        await project.close();
      }
    });

  withProjectOption(program.command("info").description("what this project file holds"))
    .option("--json", "print as JSON")
    .action((options: ProjectOptions & { json?: boolean }) =>
      withProject(options, io, (project) => {
        const info = project.info();
        if (options.json === true) return io.json(info);
        io.out(`project   ${info.name} (${info.project})`);
        io.out(`file      ${info.file}`);
        io.out(`replica   ${info.replica}, researcher ${info.actor}`);
        io.out(`content   ${info.codes} codes, ${info.sources} sources, ${info.segments} segments, ${info.openConflicts} open conflicts`);
        io.out(`to push   ${info.toPush} ops`);
      }),
    );
}
