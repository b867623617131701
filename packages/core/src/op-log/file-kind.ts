/**
 * What a path holds, decided read-only before qc writes anything to it: the
 * one classification behind `inspectReplicaFile`, `openReplica` and
 * `createReplica`, so pointing qc at another application's database (or a
 * text file) never adds a table, switches it to WAL or creates a project.
 *
 * - "missing": no file (only `createReplica` makes one);
 * - "empty": a 0-byte file or a database without any schema object, or a
 *   qc-marked file whose very first open stopped before a project was
 *   stored (only `createReplica` turns it into a project);
 * - "replica": a qc file — marked with qc's `application_id`, or a legacy
 *   file (schema 1..3, no mark) recognised by a project in its `meta`;
 * - "foreign": anything else (why says what it is).
 */
import { closeSync, copyFileSync, existsSync, mkdtempSync, openSync, readSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import type { JsonValue } from "../op/op.js";
import { OpLogError } from "./errors.js";
import { readAllSettings } from "./local-settings.js";
import { readReplicaMeta, type ReplicaMeta } from "./meta.js";
import { QC_APPLICATION_ID } from "./schema.js";

export interface ReplicaFileInfo extends ReplicaMeta {
  readonly schemaVersion: number;
  readonly local: Readonly<Record<string, JsonValue>>;
}

export type FileKind =
  | { readonly kind: "replica"; readonly info: ReplicaFileInfo }
  /** Not a replica; `why` says what it is instead, for the refusal. */
  | { readonly kind: "missing" | "empty" | "foreign"; readonly why: string };

const MISSING = { kind: "missing", why: "there is no such file" } as const;
const EMPTY = { kind: "empty", why: "it is empty (no project in it yet)" } as const;
const NOT_SQLITE = { kind: "foreign", why: "it is not a SQLite database" } as const;
const SQLITE_MAGIC = Buffer.from("SQLite format 3\0", "latin1");

function foreignApplication(applicationId: number): FileKind {
  return { kind: "foreign", why: `it is a database of another application (application_id ${applicationId})` };
}

/** SQLite's 100-byte file header (shorter for a file that is not SQLite). */
function readHeader(path: string): Buffer {
  const fd = openSync(path, "r");
  try {
    const header = Buffer.alloc(100);
    return header.subarray(0, readSync(fd, header, 0, 100, 0));
  } finally {
    closeSync(fd);
  }
}

export function classifyFile(path: string): FileKind {
  if (path === ":memory:" || path === "") return EMPTY;
  if (!existsSync(path)) return MISSING;
  if (statSync(path).size === 0) return EMPTY;
  const header = readHeader(path);
  if (!header.subarray(0, 16).equals(SQLITE_MAGIC)) return NOT_SQLITE;
  const applicationId = header.readInt32BE(68);
  if (applicationId !== 0 && applicationId !== QC_APPLICATION_ID) return foreignApplication(applicationId);
  // Even a read-only SQLite open of a WAL-mode file creates -wal and -shm
  // beside it: a foreign (or legacy) WAL file without both is read from a copy.
  const wal = header[18] === 2;
  const companions = existsSync(`${path}-wal`) && existsSync(`${path}-shm`);
  return !wal || companions || applicationId === QC_APPLICATION_ID ? classifyAt(path) : classifyCopy(path);
}

function classifyCopy(path: string): FileKind {
  const look = mkdtempSync(join(tmpdir(), "qc-look-"));
  try {
    const copy = join(look, "file.db");
    copyFileSync(path, copy);
    if (existsSync(`${path}-wal`)) copyFileSync(`${path}-wal`, `${copy}-wal`);
    return classifyAt(copy);
  } finally {
    rmSync(look, { recursive: true, force: true });
  }
}

function classifyAt(path: string): FileKind {
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
  } catch {
    return { kind: "foreign", why: "it cannot be opened as a database" };
  }
  try {
    return classifyDb(db);
  } catch (error) {
    if (notADatabase(error)) return NOT_SQLITE;
    throw error;
  } finally {
    db.close();
  }
}

/** The "not-a-replica" refusal, one wording for every path that is not a qc file. */
export function notReplica(path: string, why: string): OpLogError {
  return new OpLogError({
    reason: "not-a-replica",
    message: `${path} is not a qc project file: ${why}; check the path, or create a project with \`qc init\``,
  });
}

function classifyDb(db: Database.Database): FileKind {
  // Read again, not taken from the header: a value set since the last WAL
  // checkpoint is only in the -wal file, which the header does not show.
  const applicationId = db.pragma("application_id", { simple: true }) as number;
  const objects = db.prepare("SELECT count(*) FROM sqlite_master").pluck().get() as number;
  if (applicationId !== 0 && applicationId !== QC_APPLICATION_ID) return foreignApplication(applicationId);
  const meta = hasTable(db, "meta") ? readReplicaMeta(db) : undefined;
  if (meta !== undefined) return { kind: "replica", info: readInfo(db, meta) };
  if (objects === 0 || applicationId === QC_APPLICATION_ID) return EMPTY;
  return { kind: "foreign", why: "it is a database, but not one qc created (no project in it)" };
}

function readInfo(db: Database.Database, meta: ReplicaMeta): ReplicaFileInfo {
  const schemaVersion = Number(db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").pluck().get() ?? 0);
  return { ...meta, schemaVersion, local: hasTable(db, "local_settings") ? readAllSettings(db) : {} };
}

/** SQLite opens any file lazily; the first read of a non-database fails with one of these. */
function notADatabase(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "SQLITE_NOTADB" || code === "SQLITE_CORRUPT";
}

function hasTable(db: Database.Database, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}
