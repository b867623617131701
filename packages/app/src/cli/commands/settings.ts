/** `qc settings show [--json]`, `qc settings set cloud-sync on|off`, `qc settings set convex-url URL`. */
import type { Command } from "commander";
import { appError, type SettingsView } from "../../project/index.js";
import type { Io } from "../io.js";
import { withProject, withProjectOption, type ProjectOptions } from "../project-option.js";

export function registerSettingsCommands(program: Command, io: Io): void {
  const settings = program.command("settings").description("this project file's settings (never synced)");
  withProjectOption(settings.command("show").description("show the settings (the token masked)"))
    .option("--json", "print as JSON")
    .action((options: ProjectOptions & { json?: boolean }) =>
      withProject(options, io, (project) => {
        const view = project.settingsView();
        if (options.json === true) io.json(view);
        else printSettings(view, io);
      }),
    );
  withProjectOption(settings.command("set").description("change a setting: cloud-sync on|off, convex-url URL"))
    .argument("<key>", "cloud-sync or convex-url")
    .argument("<value>", "on/off, or the deployment URL")
    .action((key: string, value: string, options: ProjectOptions) =>
      withProject(options, io, async (project) => {
        if (key === "cloud-sync") await project.setCloudSync(onOff(value));
        else if (key === "convex-url") await project.setConvexUrl(value);
        else throw appError("invalid-setting", `there is no setting ${JSON.stringify(key)}; use cloud-sync or convex-url`);
        printSettings(project.settingsView(), io);
      }),
    );
}

function onOff(value: string): boolean {
  if (value === "on") return true;
  if (value === "off") return false;
  throw appError("invalid-setting", `cloud-sync is on or off, not ${JSON.stringify(value)}`);
}

function printSettings(view: SettingsView, io: Io): void {
  const override = view.convexUrlSource === "QC_CONVEX_URL" ? " (from QC_CONVEX_URL, this run only)" : "";
  io.out(`primary storage  ${view.primaryStorage}`);
  io.out(`cloud sync       ${view.cloudSyncEnabled ? io.color.green("on") : "off"}`);
  io.out(`convex url       ${view.convexUrl ?? "(not set)"}${override}`);
  io.out(`token            ${view.token ?? "(none: run qc team create or join with an invite)"}`);
  io.out(`researcher       ${view.actor}`);
}
