/** `qc join INVITE FILE --actor NAME`: a new file joined to the team's project, caught up before it returns. */
import type { SyncStatus } from "@qc/core";
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
      const progress = joinProgress();
      const project = await joinProject(invite, file, {
        actor,
        env: io.env,
        onStatus: (s) => {
          if (io.errIsTty) io.statusLine(`joining · ${progress(s)}`);
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

/**
 * The line for each status while joining. The team's edit count is not known
 * up front: the first "syncing" status says how many are left to pull, so
 * the bar is the share received since then.
 */
function joinProgress(): (status: SyncStatus) => string {
  let total = 0;
  return (status) => {
    if (status.state === "connecting") return "connecting to the sync server";
    // Caught up: the bar fills (the last "syncing" status may still have had a page to go).
    const left = status.state === "syncing" ? status.toPull : status.state === "synced" && total > 0 ? 0 : undefined;
    if (left === undefined) return status.state;
    total = Math.max(total, left);
    const received = total - left;
    const filled = total === 0 ? BAR : Math.floor((BAR * received) / total);
    const count = (n: number) => n.toLocaleString("en-US");
    return `[${"#".repeat(filled)}${".".repeat(BAR - filled)}] ${count(received)} of ${count(total)} edits received`;
  };
}

const BAR = 20;
