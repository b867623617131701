/**
 * Migration 10 (migration-10.ts) on a file written by the schema-9 code:
 * fixtures/schema-9.sqlite.gz was made at commit f96fd12 (main before
 * migration 10) by a replica with own ops (non-ASCII names), two ops of a
 * peer ingested and its first two own ops acked. Opening it must keep every
 * op byte for byte with the content hash it had stored, drop the column,
 * keep the outbox (now on the time-part index of decision 0030) and still
 * tell a replayed op from a reused id.
 */
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Op } from "../op/op.js";
import { openReplica } from "../replica.js";
import { copyFixture as copyGzFixture, expectMigratedFile, expectOutboxKeptAt, waitingOwnOps } from "../testing/migration-checks.js";
import { makeTempDir, type TempDir } from "../testing/temp-dir.js";
import { hlcOfKey } from "./hlc-key.js";
import { allStoredJson } from "./ops-store.js";

let dir: TempDir;
beforeEach(() => {
  dir = makeTempDir("qc-migration-10-");
});
afterEach(() => dir.remove());

const copyFixture = (): string => copyGzFixture(new URL("./fixtures/schema-9.sqlite.gz", import.meta.url), dir.path("schema-9.sqlite"));

interface Schema9Log {
  readonly rows: ReturnType<typeof allStoredJson>;
  /** The `ops.hash` column as schema 9 stored it, by op id. */
  readonly storedHashes: ReadonlyMap<string, string>;
  readonly outbox: ReadonlyArray<string>;
}

function readSchema9(path: string): Schema9Log {
  const db = new Database(path, { readonly: true });
  try {
    expect(db.prepare("SELECT max(version) FROM schema_migrations").pluck().get()).toBe(9);
    expect(indexesOf(db)).toContain("ops_own"); // the outbox index of the whole key, before decision 0030
    const hashes = db.prepare("SELECT hlc, hex(hash) FROM ops").raw().all() as Array<[Buffer, string]>;
    return {
      rows: allStoredJson(db),
      storedHashes: new Map(hashes.map(([key, hash]) => [hlcOfKey(key), hash.toLowerCase()])),
      outbox: waitingOwnOps(db),
    };
  } finally {
    db.close();
  }
}

const indexesOf = (db: Database.Database): Array<unknown> =>
  db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index'").pluck().all();

const hashColumn = (db: Database.Database): Array<unknown> =>
  db.prepare("SELECT name FROM pragma_table_info('ops') WHERE name = 'hash'").pluck().all();

describe("migration 10 on a schema-9 file", () => {
  it("keeps every op byte for byte with the content hash it had stored, drops the column and keeps the outbox", () => {
    const path = copyFixture();
    const before = readSchema9(path);
    expect(before.rows.length).toBe(10);
    expect(before.outbox.length).toBe(6);
    expect(before.rows.some((r) => /[^\x20-\x7e]/.test(r.op))).toBe(true);
    for (const row of before.rows) expect(row.hash).toBe(before.storedHashes.get((JSON.parse(row.op) as Op).id));

    expectOutboxKeptAt(path, before.outbox);
    expectMigratedFile(path, before.rows, (db) => {
      expect(hashColumn(db)).toEqual([]);
      // The outbox's index holds own keys' time part only (decision 0030); the whole-key one is gone.
      expect(indexesOf(db)).toContain("ops_own_time");
      expect(indexesOf(db)).not.toContain("ops_own");
      expect(db.prepare("PRAGMA integrity_check").pluck().get()).toBe("ok");
    });
  });

  it("after the migration a replayed op is a duplicate and another op under a stored id is quarantined as id-reused", () => {
    const path = copyFixture();
    const peerOps = readSchema9(path)
      .rows.map((r) => JSON.parse(r.op) as Op)
      .filter((op) => op.actor !== "ana");
    expect(peerOps).toHaveLength(2);
    const replica = openReplica(path, { actor: "ana" });
    try {
      const recolour = peerOps.find((op) => op.kind === "set")!;
      const changed = { ...recolour, body: { field: "color", value: "#0000aa" } };
      expect(replica.sync.ingest(peerOps, "peer")).toMatchObject({ applied: 0, duplicates: 2, quarantined: 0 });
      expect(replica.sync.ingest([changed], "peer")).toMatchObject({ applied: 0, duplicates: 0, quarantined: 1 });
    } finally {
      replica.close();
    }
    const db = new Database(path, { readonly: true });
    try {
      expect(db.prepare("SELECT reason FROM quarantine").pluck().all()).toEqual(["id-reused"]);
    } finally {
      db.close();
    }
  });

  it("a row that no longer matches its stored hash stops the migration and leaves the file at version 9", () => {
    const path = copyFixture();
    const tamper = new Database(path);
    // The fixture's ops table is append-only by trigger; a damaged file is damaged underneath them.
    const triggers = tamper.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'ops'").raw().all() as Array<
      [string, string]
    >;
    for (const [name] of triggers) tamper.exec(`DROP TRIGGER ${name}`);
    tamper.prepare("UPDATE ops SET hash = zeroblob(32) WHERE seq = 3").run();
    for (const [, sql] of triggers) tamper.exec(sql);
    tamper.close();

    expect(() => openReplica(path, { actor: "ana" })).toThrow(
      /migration 10: op .* \(seq 3\) no longer matches its stored hash .* left at version 9/,
    );
    const db = new Database(path, { readonly: true });
    try {
      expect(db.prepare("SELECT max(version) FROM schema_migrations").pluck().get()).toBe(9);
      expect(indexesOf(db)).toContain("ops_own"); // the outbox index of the whole key, before decision 0030
      expect(hashColumn(db)).toEqual(["hash"]);
      expect(db.prepare("SELECT count(*) FROM ops").pluck().get()).toBe(10);
    } finally {
      db.close();
    }
  });
});
