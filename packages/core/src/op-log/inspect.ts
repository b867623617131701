/**
 * `inspectReplicaFile`: what a file on disk is, without changing it — the
 * project and replica it holds and its local settings — or a clear
 * "not-a-replica" error for a missing file, a file that is not SQLite, or a
 * SQLite file that qc did not create. Opens read-only: nothing is written,
 * no migration runs, so pointing qc at the wrong file never alters it.
 */
import { existsSync } from "node:fs";
import Database from "better-sqlite3";
import type { JsonValue } from "../op/op.js";
import { OpLogError } from "./errors.js";
import { readAllSettings } from "./local-settings.js";
import { readReplicaMeta, type ReplicaMeta } from "./meta.js";

export interface ReplicaFileInfo extends ReplicaMeta {
  readonly schemaVersion: number;
  readonly local: Readonly<Record<string, JsonValue>>;
}

export function inspectReplicaFile(path: string): ReplicaFileInfo {
  if (!existsSync(path)) throw notReplica(path, "there is no such file");
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw notReplica(path, "it cannot be opened as a database", error);
  }
  try {
    return readInfo(db, path);
  } finally {
    db.close();
  }
}

function readInfo(db: Database.Database, path: string): ReplicaFileInfo {
  let meta: ReplicaMeta | undefined;
  try {
    meta = hasTable(db, "meta") ? readReplicaMeta(db) : undefined;
  } catch (error) {
    throw notReplica(path, "it is not a SQLite database", error);
  }
  if (meta === undefined) throw notReplica(path, "it is a database, but not one qc created (no project in it)");
  const schemaVersion = Number(db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").pluck().get() ?? 0);
  return { ...meta, schemaVersion, local: hasTable(db, "local_settings") ? readAllSettings(db) : {} };
}

function hasTable(db: Database.Database, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

function notReplica(path: string, why: string, cause?: unknown): OpLogError {
  return new OpLogError({
    reason: "not-a-replica",
    message: `${path} is not a qc project file: ${why}; check the path, or create a project with \`qc init\``,
    ...(cause === undefined ? {} : { cause }),
  });
}
