import Database from "better-sqlite3";
import { existsSync, statSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { createReplica, openReplica, type Replica } from "../replica.js";
import { makeTempDir, type TempDir } from "../testing/temp-dir.js";
import { openDb, WAL_CAP_PAGES } from "./open-db.js";
import { KEEP_BYTES, makeWalCheckpointer, SOFT_LIMIT_BYTES } from "./wal-checkpoint.js";

let dir: TempDir;
const toClose: Array<() => void> = [];
afterEach(() => {
  for (const close of toClose.splice(0)) close();
  dir?.remove();
});

const walBytes = (path: string): number => (existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0);

/** A table of rows rewritten one per commit: each commit appends about 9 pages (36 KiB) to the WAL. */
function fileWithRows(path: string): Database.Database {
  const db = openDb(path, { expect: "new" });
  db.exec("CREATE TABLE rows (id INTEGER PRIMARY KEY, body BLOB)");
  return db;
}

describe("the background WAL checkpoint", () => {
  it("keeps the WAL file bounded under commits that never stop: it starts over instead of growing to the cap", async () => {
    dir = makeTempDir();
    const path = dir.path("bounded.sqlite");
    const db = fileWithRows(path);
    const wal = makeWalCheckpointer(db);
    toClose.push(() => {
      wal.close();
      db.close();
    });
    const write = db.prepare("INSERT OR REPLACE INTO rows (id, body) VALUES (?, randomblob(32768))");
    const commits = Math.ceil((8 * SOFT_LIMIT_BYTES) / 32768); // eight soft limits' worth of frames
    let largest = 0;
    let restarts = 0;
    let previous = 0;
    for (let i = 0; i < commits; i++) {
      write.run(i % 500);
      wal.afterCommit();
      const bytes = walBytes(path);
      largest = Math.max(largest, bytes);
      if (bytes < previous && bytes <= KEEP_BYTES) restarts++;
      previous = bytes;
      // A loop that does yield now and then, so a loaded machine still schedules the worker; it is never waited for.
      if (i % 64 === 0) await sleep(1);
    }
    // Without the background pass only SQLite's cap would start the WAL over, at WAL_CAP_PAGES (64 MiB).
    expect(WAL_CAP_PAGES * 4096).toBeGreaterThan(4 * SOFT_LIMIT_BYTES);
    expect(largest).toBeLessThan(4 * SOFT_LIMIT_BYTES);
    expect(restarts).toBeGreaterThanOrEqual(3);
  });

  it("leaves the WAL alone below the soft limit: no worker, and the file only grows", () => {
    dir = makeTempDir();
    const path = dir.path("small.sqlite");
    const db = fileWithRows(path);
    const wal = makeWalCheckpointer(db);
    toClose.push(() => {
      wal.close();
      db.close();
    });
    const write = db.prepare("INSERT OR REPLACE INTO rows (id, body) VALUES (?, randomblob(4096))");
    let previous = 0;
    for (let i = 0; i < 256; i++) {
      write.run(i);
      wal.afterCommit();
      const bytes = walBytes(path);
      expect(bytes).toBeGreaterThanOrEqual(previous);
      previous = bytes;
    }
    expect(previous).toBeLessThan(SOFT_LIMIT_BYTES);
  });
});

describe("closing a replica", () => {
  const editUntil = (replica: Replica, path: string, walPast: number, extraCommits: number): string => {
    const id = replica.commands.createCode({ name: "code 0", color: "#336699" });
    let i = 0;
    while (walBytes(path) < walPast) replica.commands.rename("code", id, `name ${i++}`);
    for (let k = 0; k < extraCommits; k++) replica.commands.rename("code", id, `name ${i++}`);
    replica.commands.rename("code", id, "last name");
    return id;
  };

  it("checkpoints and removes the WAL before it returns, once the background checkpointer has run", async () => {
    dir = makeTempDir();
    const path = dir.path("closed.sqlite");
    const replica = createReplica(path, { actor: "ana", projectName: "Closed" });
    // Past the soft limit for several checks: the worker is asked, and has time to open its connection.
    const id = editUntil(replica, path, SOFT_LIMIT_BYTES, 4 * 64);
    await sleep(50);
    replica.commands.rename("code", id, "last name");
    replica.close();
    expect(existsSync(`${path}-wal`)).toBe(false);
    expect(existsSync(`${path}-shm`)).toBe(false);
    const reopened = openReplica(path, { actor: "ana" });
    toClose.push(() => reopened.close());
    expect(reopened.read.entity("code", id)).toMatchObject({ fields: { name: "last name" } });
  });

  it("removes the WAL also when it closes while the worker is still starting", () => {
    dir = makeTempDir();
    const path = dir.path("starting.sqlite");
    const replica = createReplica(path, { actor: "ana", projectName: "Starting" });
    const id = editUntil(replica, path, SOFT_LIMIT_BYTES, 64);
    replica.close();
    expect(existsSync(`${path}-wal`)).toBe(false);
    expect(existsSync(`${path}-shm`)).toBe(false);
    const reopened = openReplica(path, { actor: "ana" });
    toClose.push(() => reopened.close());
    expect(reopened.read.entity("code", id)).toMatchObject({ fields: { name: "last name" } });
  });

  it("leaves the WAL in place for another connection that still has the file open, which reads every commit", () => {
    dir = makeTempDir();
    const path = dir.path("shared.sqlite");
    const replica = createReplica(path, { actor: "ana", projectName: "Shared" });
    const other = new Database(path, { readonly: true });
    toClose.push(() => other.close());
    const before = other.prepare("SELECT count(*) AS n FROM ops").get() as { n: number };
    editUntil(replica, path, SOFT_LIMIT_BYTES, 64);
    const written = replica.read.opsSince(0, 1_000_000).length;
    replica.close();
    expect(existsSync(`${path}-wal`)).toBe(true);
    const after = other.prepare("SELECT count(*) AS n FROM ops").get() as { n: number };
    expect(after.n).toBe(written);
    expect(after.n).toBeGreaterThan(before.n);
  });
});
