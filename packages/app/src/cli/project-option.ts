/**
 * `--project FILE` (or QC_PROJECT), taken by every command, and the
 * open-run-close around a command's work. The project is closed (its engine
 * stopped, the file closed) whatever the command did.
 */
import type { Command } from "commander";
import { appError, openProject, type Project } from "../project/index.js";
import type { Io } from "./io.js";

export interface ProjectOptions {
  readonly project?: string;
}

export function withProjectOption(command: Command): Command {
  return command.option("-p, --project <file>", "the project file (default: $QC_PROJECT)");
}

export function projectPath(options: ProjectOptions, io: Io): string {
  const path = options.project ?? io.env["QC_PROJECT"];
  if (path === undefined || path.trim() === "") {
    throw appError("no-project", "no project file given; pass --project FILE or set QC_PROJECT (create one with `qc init FILE`)");
  }
  return path;
}

export async function withProject<T>(options: ProjectOptions, io: Io, run: (project: Project) => Promise<T> | T): Promise<T> {
  const project = openProject(projectPath(options, io), io.env);
  try {
    return await run(project);
  } finally {
    await project.close();
  }
}
