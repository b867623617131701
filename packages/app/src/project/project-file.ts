/**
 * Opening and creating project files. Only `createProjectFile` (qc init,
 * qc join) makes a project, in a new file or an existing empty one (the
 * researcher named it explicitly); everything else opens an existing qc file
 * and refuses a missing path or a file qc did not create, without touching it
 * (core's `inspectReplicaFile` reads it read-only first, and core's
 * `createReplica` refuses a file that already holds anything). The file is
 * made mode 0600: it will hold the member token.
 */
import { chmodSync, closeSync, existsSync, openSync, rmSync, truncateSync } from "node:fs";
import { createReplica, inspectReplicaFile, openReplica, type Replica } from "@qc/core";
import { appError } from "./errors.js";
import { writeSettings } from "./settings.js";

export interface CreateFileOptions {
  readonly actor: string;
  /** A new project's name; absent when joining. */
  readonly name?: string;
  /** Join this project instead of creating one. */
  readonly project?: string;
  /** The wall clock (epoch ms) the file's edits are stamped with; injectable for tests (core's ReplicaOptions.clock). */
  readonly clock?: () => number;
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
  const existed = existsSync(path);
  if (!existed) closeSync(openSync(path, "wx", 0o600));
  try {
    // Refuses, untouched, an existing file that is not empty (file-exists).
    const replica = createReplica(path, {
      actor: options.actor.trim(),
      ...(options.name === undefined ? {} : { projectName: options.name.trim() }),
      ...(options.project === undefined ? {} : { project: options.project }),
      ...(options.clock === undefined ? {} : { clock: options.clock }),
    });
    if (existed) chmodSync(path, 0o600);
    writeSettings(replica, { actor: options.actor.trim(), cloudSyncEnabled: false });
    return replica;
  } catch (error) {
    if (!existed) removeProjectFile(path, false);
    throw error;
  }
}

/**
 * Undoes a failed init or join: removes the file this process created (and
 * SQLite's companions), or empties again a file that was empty before.
 */
export function removeProjectFile(path: string, existed: boolean): void {
  for (const suffix of existed ? ["-wal", "-shm"] : ["", "-wal", "-shm"]) rmSync(`${path}${suffix}`, { force: true });
  if (existed) truncateSync(path, 0);
}

export function checkName(what: string, value: string): void {
  if (value.trim() === "") throw appError("invalid-argument", `the ${what} is empty; give a name, e.g. --actor "Ana Souza"`);
}
