/**
 * The `meta` table: which project and replica this file is.
 *
 * Both are written once, when the file is created, and never change: the
 * replica id is baked into every local HLC, the project into every op.
 */
import type Database from "better-sqlite3";
import { pluck, prep } from "./statements.js";

export interface ReplicaMeta {
  readonly project: string;
  readonly replica: string;
}

export function readMetaValue(db: Database.Database, key: string): string | undefined {
  return pluck<string>(db, "SELECT value FROM meta WHERE key = ?", key);
}

export function writeMetaValue(db: Database.Database, key: string, value: string): void {
  prep(db, "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)").run(key, value);
}

/** The stored identity, or undefined for a fresh file. */
export function readReplicaMeta(db: Database.Database): ReplicaMeta | undefined {
  const project = readMetaValue(db, "project");
  const replica = readMetaValue(db, "replica");
  if (project === undefined || replica === undefined) return undefined;
  return { project, replica };
}

export function writeReplicaMeta(db: Database.Database, meta: ReplicaMeta): void {
  writeMetaValue(db, "project", meta.project);
  writeMetaValue(db, "replica", meta.replica);
}
