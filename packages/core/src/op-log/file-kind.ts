/**
 * What a path holds, decided before qc writes anything to it: the one
 * classification behind `inspectReplicaFile`, `openReplica` and
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
 *
 * `classifyFile` looks read-only. `classifyToOpen` (openDb) looks on the
 * read-write connection the open goes on with when the file is as qc leaves
 * it — qc's mark and WAL mode in the header, no WAL frames, no rollback
 * journal — so a reopen pays for one connection, not two (docs/decisions/0022).
 * Such a file cannot be foreign: with no frames the header is the file's
 * current state, and the connection writes nothing before openDb admits it
 * (a read of a WAL-mode file only adds the -wal/-shm that a read-only look
 * adds too). Any other file gets the read-only look first.
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

/** Not a replica; `why` says what it is instead, for the refusal. */
export interface NotReplica {
  readonly kind: "missing" | "empty" | "foreign";
  readonly why: string;
}

export type FileKind = { readonly kind: "replica"; readonly info: ReplicaFileInfo } | NotReplica;

/**
 * What openDb starts from: a replica with the read-write connection its
 * checks ran on (`db`; undefined when they ran on a read-only look, and
 * openDb opens one after admitting the file), or what the file is instead.
 */
export type OpenLook = { readonly kind: "replica"; readonly project: string; readonly db: Database.Database | undefined } | NotReplica;

const MISSING = { kind: "missing", why: "there is no such file" } as const;
const EMPTY = { kind: "empty", why: "it is empty (no project in it yet)" } as const;
const NOT_SQLITE = { kind: "foreign", why: "it is not a SQLite database" } as const;
const SQLITE_MAGIC = Buffer.from("SQLite format 3\0", "latin1");

function foreignApplication(applicationId: number): NotReplica {
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
  const header = readHeaderOf(path);
  return "kind" in header ? header : classifyRead(path, header, (db, meta) => ({ kind: "replica", info: { ...meta, ...readInfo(db) } }));
}

export function classifyToOpen(path: string): OpenLook {
  const header = readHeaderOf(path);
  if ("kind" in header) return header;
  if (header.applicationId === QC_APPLICATION_ID && header.wal && leftAsQcLeavesIt(path)) return lookReadWrite(path, header);
  return classifyRead(path, header, replicaToOpen);
}

interface SqliteHeader {
  readonly applicationId: number;
  /** WAL mode (file format versions 2). */
  readonly wal: boolean;
}

/** What the 100-byte header says, or the answer when it already settles what the path is. */
function readHeaderOf(path: string): SqliteHeader | NotReplica {
  if (path === ":memory:" || path === "") return EMPTY;
  const size = statSync(path, { throwIfNoEntry: false })?.size;
  if (size === undefined) return MISSING;
  if (size === 0) return EMPTY;
  const header = readHeader(path);
  if (!header.subarray(0, 16).equals(SQLITE_MAGIC)) return NOT_SQLITE;
  const applicationId = header.readInt32BE(68);
  if (applicationId !== 0 && applicationId !== QC_APPLICATION_ID) return foreignApplication(applicationId);
  return { applicationId, wal: header[18] === 2 && header[19] === 2 };
}

/** No WAL frames (the header is the whole truth) and no rollback journal for a connection to replay. */
function leftAsQcLeavesIt(path: string): boolean {
  return (statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0) === 0 && !existsSync(`${path}-journal`);
}

/** What a replica's look reads from it (on the look's connection, before it closes). */
type ReadReplica<T> = (db: Database.Database, meta: ReplicaMeta) => T;

/** The read-only look at a file the header did not settle. */
function classifyRead<T>(path: string, { applicationId, wal }: SqliteHeader, read: ReadReplica<T>): T | NotReplica {
  // Even a read-only SQLite open of a WAL-mode file creates -wal and -shm
  // beside it: a foreign (or legacy) WAL file without both is read from a copy.
  const companions = existsSync(`${path}-wal`) && existsSync(`${path}-shm`);
  return !wal || companions || applicationId === QC_APPLICATION_ID ? classifyAt(path, read) : classifyCopy(path, read);
}

function classifyCopy<T>(path: string, read: ReadReplica<T>): T | NotReplica {
  const look = mkdtempSync(join(tmpdir(), "qc-look-"));
  try {
    const copy = join(look, "file.db");
    copyFileSync(path, copy);
    if (existsSync(`${path}-wal`)) copyFileSync(`${path}-wal`, `${copy}-wal`);
    return classifyAt(copy, read);
  } finally {
    rmSync(look, { recursive: true, force: true });
  }
}

function classifyAt<T>(path: string, read: ReadReplica<T>): T | NotReplica {
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
  } catch {
    return { kind: "foreign", why: "it cannot be opened as a database" };
  }
  try {
    const file = classifyDb(db);
    return "meta" in file ? read(db, file.meta) : file;
  } catch (error) {
    if (notADatabase(error)) return NOT_SQLITE;
    throw error;
  } finally {
    db.close();
  }
}

/**
 * classifyAt's answer for a file the header says is qc's, on the connection
 * the open goes on with: with no frames nothing newer overrides the header's
 * mark, so a project in `meta` settles it. Anything else (no project yet, a
 * damaged file) closes it again and gets the read-only look.
 */
function lookReadWrite(path: string, header: SqliteHeader): OpenLook {
  const db = new Database(path, { fileMustExist: true });
  let meta: ReplicaMeta | undefined;
  try {
    meta = hasTable(db, "meta") ? readReplicaMeta(db) : undefined;
  } catch (error) {
    if (!notADatabase(error)) {
      db.close();
      throw error;
    }
  }
  if (meta !== undefined) return { kind: "replica", project: meta.project, db };
  db.close();
  return classifyRead(path, header, replicaToOpen);
}

const replicaToOpen = (_db: Database.Database, meta: ReplicaMeta): OpenLook => ({ kind: "replica", project: meta.project, db: undefined });

/** The "not-a-replica" refusal, one wording for every path that is not a qc file. */
export function notReplica(path: string, why: string): OpLogError {
  return new OpLogError({
    reason: "not-a-replica",
    message: `${path} is not a qc project file: ${why}; check the path, or create a project with \`qc init\``,
  });
}

function classifyDb(db: Database.Database): { readonly meta: ReplicaMeta } | NotReplica {
  // Read again, not taken from the header: a value set since the last WAL
  // checkpoint is only in the -wal file, which the header does not show.
  const applicationId = db.pragma("application_id", { simple: true }) as number;
  const objects = db.prepare("SELECT count(*) FROM sqlite_master").pluck().get() as number;
  if (applicationId !== 0 && applicationId !== QC_APPLICATION_ID) return foreignApplication(applicationId);
  const meta = hasTable(db, "meta") ? readReplicaMeta(db) : undefined;
  if (meta !== undefined) return { meta };
  if (objects === 0 || applicationId === QC_APPLICATION_ID) return EMPTY;
  return { kind: "foreign", why: "it is a database, but not one qc created (no project in it)" };
}

/** What inspectReplicaFile shows beside the identity; openDb needs none of it. */
function readInfo(db: Database.Database): Omit<ReplicaFileInfo, keyof ReplicaMeta> {
  const schemaVersion = Number(db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").pluck().get() ?? 0);
  return { schemaVersion, local: hasTable(db, "local_settings") ? readAllSettings(db) : {} };
}

/** SQLite opens any file lazily; the first read of a non-database fails with one of these. */
function notADatabase(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "SQLITE_NOTADB" || code === "SQLITE_CORRUPT";
}

function hasTable(db: Database.Database, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}
