/**
 * Opening and creating project files. Only `createProjectFile` (qc init,
 * qc join) makes a new file; everything else opens an existing qc file and
 * refuses a missing path or a file qc did not create, without touching it
 * (core's `inspectReplicaFile` reads it read-only first). A new file is
 * created with mode 0600: it will hold the member token.
 */
import { closeSync, existsSync, openSync, rmSync } from "node:fs";
import { inspectReplicaFile, openReplica, type Replica } from "@qc/core";
import { appError } from "./errors.js";
import { writeSettings } from "./settings.js";

export interface CreateFileOptions {
  readonly actor: string;
  /** A new project's name; absent when joining. */
  readonly name?: string;
  /** Join this project instead of creating one. */
  readonly project?: string;
}

/** Opens a qc file; its edits are the researcher's, or `actAs`'s (e.g. the researcher's agent). */
export function openProjectFile(path: string, actAs?: (researcher: string) => string): Replica {
  const info = inspectReplicaFile(path);
  const actor = info.local["actor"];
  if (typeof actor !== "string" || actor === "") {
    throw appError("invalid-setting", `${path} has no researcher (actor) set; it was not created by \`qc init\` or \`qc join\``);
  }
  const editor = actAs === undefined ? actor : actAs(actor);
  checkName("actor", editor);
  return openReplica(path, { actor: editor.trim() });
}

export function createProjectFile(path: string, options: CreateFileOptions): Replica {
  checkName("actor", options.actor);
  if (options.name !== undefined) checkName("project name", options.name);
  if (existsSync(path)) throw appError("file-exists", `${path} already exists; choose a new file name (qc never overwrites a file)`);
  closeSync(openSync(path, "wx", 0o600));
  try {
    const replica = openReplica(path, {
      actor: options.actor.trim(),
      ...(options.name === undefined ? {} : { projectName: options.name.trim() }),
      ...(options.project === undefined ? {} : { project: options.project }),
    });
    writeSettings(replica, { actor: options.actor.trim(), cloudSyncEnabled: false });
    return replica;
  } catch (error) {
    removeProjectFile(path);
    throw error;
  }
}

/** Removes a file this process just created (and SQLite's companions) after a failed init or join. */
export function removeProjectFile(path: string): void {
  for (const suffix of ["", "-wal", "-shm"]) rmSync(`${path}${suffix}`, { force: true });
}

export function checkName(what: string, value: string): void {
  if (value.trim() === "") throw appError("invalid-argument", `the ${what} is empty; give a name, e.g. --actor "Ana Souza"`);
}
