/** `qc join INVITE FILE --actor NAME`: a new file joined to the team's project, caught up before it returns. */
import type { Command } from "commander";
import { joinProject, readUserConfig } from "../../project/index.js";
import type { Io } from "../io.js";

export function registerJoinCommand(program: Command, io: Io): void {
  program
    .command("join")
    .description("join a team's project with an invite, into a new project file")
    .argument("<invite>", "the invite from `qc team invite`")
    .argument("<file>", "the new project file")
    .option("--actor <name>", "your name, as invited (default: from ~/.config/qc)")
    .option("--json", "print the project as JSON")
    .action(async (invite: string, file: string, options: { actor?: string; json?: boolean }) => {
      const actor = options.actor ?? readUserConfig(io.env).researcher ?? "";
      const project = await joinProject(invite, file, {
        actor,
        env: io.env,
        onStatus: (s) => {
          if (!io.errIsTty) return;
          if (s.state === "syncing") io.statusLine(`joining · ${progressBar(s.toPull)} ${s.toPull} ops to pull`);
          else io.statusLine(`joining · ${s.state}`);
        },
      });
      try {
        if (io.errIsTty) io.statusLine("");
        const info = project.info();
        if (options.json === true) io.json(info);
        else io.out(`${file}: joined "${info.name}" as ${info.actor}, caught up (${info.codes} codes, ${info.sources} sources)`);
      } finally {
        await project.close();
      }
    });
}

function progressBar(left: number): string {
  const filled = Math.max(0, 20 - Math.min(20, Math.ceil(Math.log2(left + 1) * 2)));
  return `[${"#".repeat(filled)}${".".repeat(20 - filled)}]`;
}
