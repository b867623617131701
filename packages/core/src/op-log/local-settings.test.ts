import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { createReplica, openReplica } from "../replica.js";
import { inspectReplicaFile } from "./inspect.js";
import { OpLogError } from "./errors.js";
import { SCHEMA_VERSION } from "./schema.js";

const dirs: Array<string> = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function dir(): string {
  const d = mkdtempSync(join(tmpdir(), "qc-local-"));
  dirs.push(d);
  return d;
}

describe("local settings", () => {
  it("are kept in the file across reopen, never as ops, and a key can be removed", () => {
    const path = join(dir(), "p.qc");
    const r = createReplica(path, { actor: "ana" });
    const opsBefore = r.sync.opsAfter().length;
    r.local.set("convex_url", "http://127.0.0.1:3210");
    r.local.set("cloud_sync_enabled", true);
    r.local.set("gone", 1);
    r.local.set("gone", undefined);
    expect(r.sync.opsAfter()).toHaveLength(opsBefore);
    expect(r.sync.outboxSize()).toBe(opsBefore);
    r.close();
    const again = openReplica(path, { actor: "ana" });
    expect(again.local.all()).toEqual({ cloud_sync_enabled: true, convex_url: "http://127.0.0.1:3210" });
    expect(again.local.get("gone")).toBeUndefined();
    again.close();
    expect(inspectReplicaFile(path)).toMatchObject({
      project: again.project,
      replica: again.replica,
      schemaVersion: SCHEMA_VERSION,
      local: { cloud_sync_enabled: true },
    });
  });

  it("dataVersion changes when another connection commits, not for own commits", () => {
    const path = join(dir(), "p.qc");
    const a = createReplica(path, { actor: "ana" });
    const b = openReplica(path, { actor: "ana" });
    const before = a.read.dataVersion();
    a.commands.createCode({ name: "own", color: "#000000" });
    expect(a.read.dataVersion()).toBe(before);
    b.commands.createCode({ name: "other", color: "#000000" });
    expect(a.read.dataVersion()).not.toBe(before);
    a.close();
    b.close();
  });
});

describe("inspectReplicaFile", () => {
  const reasonOf = (path: string): string => {
    try {
      inspectReplicaFile(path);
      return "opened";
    } catch (error) {
      return error instanceof OpLogError ? `${error.reason}: ${error.message}` : String(error);
    }
  };

  it("refuses a missing file, a text file and a foreign SQLite file, and leaves them unchanged", () => {
    const d = dir();
    expect(reasonOf(join(d, "none.qc"))).toMatch(/^not-a-replica: .*there is no such file/);
    const text = join(d, "notes.txt");
    writeFileSync(text, "just some notes, not a database at all".repeat(40));
    expect(reasonOf(text)).toMatch(/^not-a-replica: .*not a SQLite database|cannot be opened/);
    const foreign = join(d, "other.sqlite");
    const db = new Database(foreign);
    db.exec("CREATE TABLE things (x)");
    db.close();
    chmodSync(foreign, 0o600);
    const size = statSync(foreign).size;
    expect(reasonOf(foreign)).toMatch(/^not-a-replica: .*not one qc created/);
    expect(statSync(foreign).size).toBe(size);
  });
});

describe("local settings update", () => {
  it("reads and writes one key in one transaction, seeing the other connection's write", () => {
    const path = join(dir(), "p.qc");
    const a = createReplica(path, { actor: "ana" });
    const b = openReplica(path, { actor: "ana" });
    const take = (r: typeof a, who: string) => r.local.update("lease", (cur) => (cur === undefined ? who : cur));
    expect(take(a, "a")).toBe("a");
    expect(take(b, "b")).toBe("a");
    expect(b.local.update("lease", () => undefined)).toBeUndefined();
    expect(take(b, "b")).toBe("b");
    a.close();
    b.close();
  });
});
