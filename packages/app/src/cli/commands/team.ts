/** `qc team create | invite NAME --role editor|viewer | list | revoke NAME`. */
import { RemoteError } from "@qc/core";
import type { Command } from "commander";
import { appError, type MemberRole } from "../../project/index.js";
import type { Io } from "../io.js";
import { withProject, withProjectOption, type ProjectOptions } from "../project-option.js";

export function registerTeamCommands(program: Command, io: Io): void {
  const team = program.command("team").description("the project's team on the sync server");
  withProjectOption(team.command("create").description("publish this project on the sync server, with you as its owner"))
    .option("--creation-key <key>", "the deployment's project-creation key, if it requires one (default: $QC_PROJECT_CREATION_KEY)")
    .option("--json", "print the result as JSON")
    .action((options: ProjectOptions & { json?: boolean; creationKey?: string }) =>
      withProject(options, io, async (project) => {
        const creationKey = options.creationKey ?? io.env["QC_PROJECT_CREATION_KEY"];
        await project.team.create(creationKey === undefined || creationKey === "" ? {} : { creationKey }).catch(withKeyHint);
        const view = project.settingsView();
        if (options.json === true) io.json({ project: view.project, convexUrl: view.convexUrl, token: view.token });
        else io.out(`project ${view.project} is on ${view.convexUrl ?? "?"}; you (${view.actor}) are its owner`);
        if (!view.cloudSyncEnabled) io.err("cloud sync is off: run `qc settings set cloud-sync on` to start sending edits");
      }),
    );
  withProjectOption(team.command("invite").description("invite a researcher; prints their invite once"))
    .argument("<name>", "the researcher's name (their --actor when they join)")
    .requiredOption("--role <role>", "editor or viewer")
    .option("--json", 'print { "token", "invite" }')
    .action((name: string, options: ProjectOptions & { role: string; json?: boolean }) =>
      withProject(options, io, async (project) => {
        const { token, invite } = await project.team.invite(name, role(options.role));
        if (options.json === true) return io.json({ token, invite });
        io.out(invite);
        io.err(`send this invite to ${name.trim()} privately (it holds their token; it is shown only once).`);
        io.err(`they run: qc join '<invite>' their-copy.qc --actor ${JSON.stringify(name.trim())}`);
      }),
    );
  withProjectOption(team.command("list").description("the project's members"))
    .option("--json", "print as JSON")
    .action((options: ProjectOptions & { json?: boolean }) =>
      withProject(options, io, async (project) => {
        const members = await project.team.list();
        if (options.json === true) return io.json(members);
        for (const m of members) io.out(`${m.actor}\t${m.role}${m.revoked ? "\trevoked" : ""}`);
      }),
    );
  withProjectOption(team.command("revoke").description("revoke a member's access (their token stops working)"))
    .argument("<name>", "the member")
    .action((name: string, options: ProjectOptions) =>
      withProject(options, io, async (project) => {
        await project.team.revoke(name);
        io.err(`${name} can no longer read or send this project's edits`);
      }),
    );
}

function role(value: string): MemberRole {
  if (value === "editor" || value === "viewer") return value;
  throw appError("invalid-argument", `--role is editor or viewer, not ${JSON.stringify(value)}`);
}

/** projects:create refuses only for the creation key: say how to give it here. */
function withKeyHint(error: unknown): never {
  if (error instanceof RemoteError && error.reason === "forbidden") {
    throw new RemoteError({
      ...error,
      message: `${error.message} Give it to qc with --creation-key KEY or in $QC_PROJECT_CREATION_KEY.`,
    });
  }
  throw error;
}
