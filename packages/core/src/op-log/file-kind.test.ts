/**
 * Which files qc opens, creates or refuses, through the real entry points
 * (openReplica, createReplica, inspectReplicaFile) on real files. A refused
 * file must be byte for byte as it was, with no -wal or -shm beside it.
 */
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createReplica, openReplica } from "../replica.js";
import { writeLegacyLog } from "../testing/legacy-log.js";
import { makeTempDir, type TempDir } from "../testing/temp-dir.js";
import { OpLogError } from "./errors.js";
import { classifyToOpen } from "./file-kind.js";
import { inspectReplicaFile } from "./inspect.js";
import { openDb } from "./open-db.js";
import { QC_APPLICATION_ID, SCHEMA_VERSION } from "./schema.js";

let dir: TempDir;
beforeEach(() => {
  dir = makeTempDir("qc-file-");
});
afterEach(() => dir.remove());

const ana = { actor: "ana" } as const;

/** How `attempt` was refused, or "opened". */
function refusal(attempt: () => void): string {
  try {
    attempt();
    return "opened";
  } catch (error) {
    if (!(error instanceof OpLogError)) throw error;
    return `${error.reason}: ${error.message}`;
  }
}

/** The file's bytes and whether SQLite left companions: what "untouched" means. */
function fingerprint(path: string): string {
  const companions = ["-wal", "-shm", "-journal"].filter((s) => existsSync(`${path}${s}`));
  return `${createHash("sha256").update(readFileSync(path)).digest("hex")} ${companions.join(",")}`;
}

function expectRefusedUntouched(path: string, openWhy: RegExp, createWhy: RegExp): void {
  const before = fingerprint(path);
  expect(refusal(() => openReplica(path, ana).close())).toMatch(openWhy);
  expect(refusal(() => inspectReplicaFile(path))).toMatch(openWhy);
  expect(refusal(() => createReplica(path, ana).close())).toMatch(createWhy);
  expect(fingerprint(path)).toBe(before);
  expect(before).toMatch(/ $/); // no companion file either
}

function header(path: string): { applicationId: unknown; userVersion: unknown } {
  const db = new Database(path, { readonly: true });
  try {
    return { applicationId: db.pragma("application_id", { simple: true }), userVersion: db.pragma("user_version", { simple: true }) };
  } finally {
    db.close();
  }
}

describe("files that are not qc's", () => {
  it("another application's database (a notes table) is refused and left byte for byte as it was", () => {
    const path = dir.path("notes.db");
    const notes = new Database(path);
    notes.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('buy milk')");
    notes.close();
    expectRefusedUntouched(
      path,
      /^not-a-replica: .*notes\.db is not a qc project file: it is a database, but not one qc created/,
      /^file-exists: /,
    );
  });

  it("a database marked by another application (application_id), even without tables, is refused untouched", () => {
    const path = dir.path("other.db");
    const other = new Database(path);
    other.pragma("application_id = 1234");
    other.close();
    expectRefusedUntouched(path, /^not-a-replica: .*another application \(application_id 1234\)/, /^file-exists: .*application_id 1234/);
  });

  it("another application's database in WAL mode is refused untouched", () => {
    const path = dir.path("wal.db");
    const other = new Database(path);
    other.pragma("journal_mode = WAL");
    other.exec("CREATE TABLE notes (body TEXT)");
    other.close();
    expectRefusedUntouched(path, /^not-a-replica: .*not one qc created/, /^file-exists: /);
  });

  it("a text file is refused untouched", () => {
    const path = dir.path("notes.txt");
    writeFileSync(path, "interview notes, not a database ".repeat(200));
    expectRefusedUntouched(path, /^not-a-replica: .*not a SQLite database/, /^file-exists: .*not a SQLite database/);
  });

  it("a missing file is refused by openReplica and not created", () => {
    const path = dir.path("none.qc");
    expect(refusal(() => openReplica(path, ana).close())).toMatch(/^not-a-replica: .*there is no such file/);
    expect(existsSync(path)).toBe(false);
  });
});

describe("empty files", () => {
  it("a 0-byte file is refused by openReplica untouched and becomes a marked project with createReplica", () => {
    const path = dir.path("empty.qc");
    writeFileSync(path, "");
    expect(refusal(() => openReplica(path, ana).close())).toMatch(/^not-a-replica: .*it is empty/);
    expect(readFileSync(path)).toHaveLength(0);
    const made = createReplica(path, { ...ana, projectName: "Flood study" });
    made.close();
    expect(header(path)).toEqual({ applicationId: QC_APPLICATION_ID, userVersion: SCHEMA_VERSION });
    expect(inspectReplicaFile(path)).toMatchObject({ project: made.project, schemaVersion: SCHEMA_VERSION });
  });

  it("a database without schema objects counts as empty", () => {
    const path = dir.path("blank.db");
    const blank = new Database(path);
    blank.exec("CREATE TABLE t (x); DROP TABLE t");
    blank.close();
    expect(readFileSync(path).length).toBeGreaterThan(0);
    expect(refusal(() => openReplica(path, ana).close())).toMatch(/^not-a-replica: .*it is empty/);
    expect(refusal(() => createReplica(path, ana).close())).toBe("opened");
  });

  it("a qc file whose first open stopped before a project was stored is finished by createReplica, not opened", () => {
    const path = dir.path("half.qc");
    openDb(path, { expect: "new" }).close(); // schema and mark, no project
    expect(refusal(() => openReplica(path, ana).close())).toMatch(/^not-a-replica: .*it is empty/);
    expect(refusal(() => createReplica(path, ana).close())).toBe("opened");
    expect(refusal(() => openReplica(path, ana).close())).toBe("opened");
  });
});

describe("qc files", () => {
  it("createReplica refuses an existing project untouched", () => {
    const path = dir.path("study.qc");
    const made = createReplica(path, ana);
    made.close();
    // qc's own WAL file may get its empty -wal/-shm back from the read-only look; its bytes stay.
    const bytes = (): string => fingerprint(path).split(" ")[0]!;
    const before = bytes();
    expect(refusal(() => createReplica(path, ana).close())).toMatch(new RegExp(`^file-exists: .*holds qc project ${made.project}`));
    expect(bytes()).toBe(before);
  });

  it("a legacy schema-3 file (no mark) opens with its project and edits, and gets the mark", () => {
    const path = dir.path("legacy.qc");
    const old = createReplica(":memory:", { ...ana, projectName: "Old study" });
    const code = old.commands.createCode({ name: "Hope", color: "#112233" });
    writeLegacyLog(path, 3, { project: old.project, replica: old.replica }, old.sync.opsAfter());
    old.close();
    writeLegacySchema3(path);
    expect(header(path)).toEqual({ applicationId: 0, userVersion: 0 });
    expect(inspectReplicaFile(path)).toMatchObject({ project: old.project, schemaVersion: 3 });
    const opened = openReplica(path, ana);
    expect(opened.project).toBe(old.project);
    expect(opened.read.entity("code", code)?.fields["name"]).toBe("Hope");
    opened.close();
    expect(header(path)).toEqual({ applicationId: QC_APPLICATION_ID, userVersion: SCHEMA_VERSION });
    expect(inspectReplicaFile(path).schemaVersion).toBe(SCHEMA_VERSION);
  });

  it("a file that got version 5 before version 4 existed (unmarked) still gets the mark", () => {
    const path = dir.path("five.qc");
    createReplica(path, ana).close();
    const db = new Database(path);
    db.exec("DELETE FROM schema_migrations WHERE version = 4; PRAGMA application_id = 0;");
    db.close();
    openReplica(path, ana).close();
    expect(header(path)).toEqual({ applicationId: QC_APPLICATION_ID, userVersion: SCHEMA_VERSION });
    expect(inspectReplicaFile(path).schemaVersion).toBe(SCHEMA_VERSION);
  });

  it("a file with a newer schema is still refused as schema-too-new", () => {
    const path = dir.path("future.qc");
    createReplica(path, ana).close();
    const db = new Database(path);
    db.prepare("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)").run(SCHEMA_VERSION + 1, "2030-01-01T00:00:00.000Z");
    db.close();
    expect(refusal(() => openReplica(path, ana).close())).toMatch(/^schema-too-new: /);
  });
});

describe("the look an open starts from (classifyToOpen)", () => {
  /** Which connection the look used: "read-write" (kept for the open), "read-only" (closed again) or what the file is. */
  function look(path: string): string {
    const file = classifyToOpen(path);
    if (file.kind !== "replica") return file.kind;
    file.db?.close();
    return file.db === undefined ? "read-only" : "read-write";
  }

  /** Bytes, companions and modification time: a look that wrote anything changes one of them. */
  function stamp(path: string): string {
    return `${fingerprint(path)} ${statSync(path).mtimeMs}`;
  }

  it("a qc file as qc leaves it (mark, WAL, no -wal frames) is looked at on the read-write connection the open keeps", () => {
    const path = dir.path("study.qc");
    const made = createReplica(path, ana);
    const code = made.commands.createCode({ name: "Hope", color: "#112233" });
    made.close();
    expect(existsSync(`${path}-wal`)).toBe(false);
    expect(look(path)).toBe("read-write");
    const opened = openReplica(path, ana);
    expect(opened.read.entity("code", code)?.fields["name"]).toBe("Hope");
    opened.close();
  });

  it("a qc file with frames left in its -wal (open elsewhere, or a crash) gets the read-only look first and opens with them", () => {
    const path = dir.path("study.qc");
    const live = createReplica(path, ana);
    const code = live.commands.createCode({ name: "Hope", color: "#112233" });
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(0);
    expect(look(path)).toBe("read-only");
    // The files a crash leaves: the database and its -wal, no -shm.
    const crashed = dir.path("crashed.qc");
    copyFileSync(path, crashed);
    copyFileSync(`${path}-wal`, `${crashed}-wal`);
    live.close();
    expect(look(crashed)).toBe("read-only");
    const opened = openReplica(crashed, ana);
    expect(opened.read.entity("code", code)?.fields["name"]).toBe("Hope");
    opened.close();
  });

  it("a qc-marked file without a project is not kept open: it is empty", () => {
    const path = dir.path("half.qc");
    openDb(path, { expect: "new" }).close();
    expect(look(path)).toBe("empty");
  });

  it("another application's database, in WAL mode or not, and a text file get the careful look and are not written", () => {
    const rollback = dir.path("notes.db");
    const notes = new Database(rollback);
    notes.exec("CREATE TABLE notes (body TEXT)");
    notes.close();
    const wal = dir.path("wal.db");
    const other = new Database(wal);
    other.pragma("journal_mode = WAL");
    other.exec("CREATE TABLE notes (body TEXT)");
    other.close();
    const text = dir.path("notes.txt");
    writeFileSync(text, "interview notes, not a database ".repeat(200));
    for (const path of [rollback, wal, text]) {
      const before = stamp(path);
      expect(look(path)).toBe("foreign");
      expect(refusal(() => openReplica(path, ana).close())).toMatch(/^not-a-replica: /);
      expect(stamp(path)).toBe(before);
    }
  });
});

/** The file as qc wrote it before the mark (schema 3): same tables, header fields 0, no migration 4. */
/** A schema-3 qc set neither header field (versions 4 and later set them). */
function writeLegacySchema3(path: string): void {
  const db = new Database(path);
  db.exec(`UPDATE meta SET value = '3' WHERE key = 'schema_version';
    PRAGMA application_id = 0; PRAGMA user_version = 0;`);
  db.close();
}
