/**
 * Migration 7 (schema.ts) on a file written by the schema-6 code:
 * fixtures/schema-6.sqlite.gz was made at commit ceb688f (main before
 * migration 7) by a replica with own ops, ops ingested from a peer, four
 * own ops acked and one written after the acks. Opening it must keep every
 * op byte for byte, keep the outbox (own ops without an ack) and verify.
 */
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { canonicalJson } from "../op/canonical.js";
import { openReplica } from "../replica.js";
import {
  copyFixture as copyGzFixture,
  expectMigratedFile,
  expectOutboxFollowsAcksAt,
  expectOutboxKept,
} from "../testing/migration-checks.js";
import { makeTempDir, type TempDir } from "../testing/temp-dir.js";
import { migrate } from "./schema.js";

let dir: TempDir;
beforeEach(() => {
  dir = makeTempDir("qc-migration-7-");
});
afterEach(() => dir.remove());

interface Schema6Log {
  readonly rows: ReadonlyArray<{ seq: number; op: string; hash: string }>;
  readonly outbox: ReadonlyArray<string>;
  readonly version: number;
}

/** A fresh copy of the schema-6 file: each case migrates its own. */
function copyFixture(name = "schema-6.sqlite"): string {
  return copyGzFixture(new URL("./fixtures/schema-6.sqlite.gz", import.meta.url), dir.path(name));
}

function readSchema6(path: string): Schema6Log {
  const db = new Database(path, { readonly: true });
  try {
    return {
      rows: db.prepare("SELECT seq, op, hash FROM ops ORDER BY seq").all() as Schema6Log["rows"],
      outbox: db.prepare("SELECT id FROM outbox ORDER BY hlc").pluck().all() as Array<string>,
      version: db.prepare("SELECT max(version) FROM schema_migrations").pluck().get() as number,
    };
  } finally {
    db.close();
  }
}

describe("migration 7 on a schema-6 file", () => {
  it("keeps every op byte for byte, the hashes, the outbox and a verifying state", () => {
    const path = copyFixture();
    const before = readSchema6(path);
    expect(before.version).toBe(6);
    expect(before.rows.length).toBeGreaterThan(10);
    expect(before.outbox.length).toBeGreaterThan(0);

    const replica = openReplica(path, { actor: "ana" });
    try {
      const read = replica.read.opsSince(0, 1_000).map((p) => canonicalJson(p.op));
      expect(read).toEqual(before.rows.map((r) => r.op));
      const byHlc = [...before.rows].sort((a, b) => (a.op < b.op ? -1 : 1)); // never equal: ids differ
      expect(replica.sync.opsAfter().map(canonicalJson).sort()).toEqual(byHlc.map((r) => r.op).sort());
      expectOutboxKept(replica, before.outbox);
    } finally {
      replica.close();
    }
    expectMigratedFile(path, before.rows);

    // Migration 7's own layout, on a copy taken only that far (version 8 re-encodes ops and the outbox).
    const seven = new Database(copyFixture("schema-6-to-7.sqlite"));
    try {
      migrate(seven, 7);
      const names = seven.prepare("SELECT name FROM sqlite_schema").pluck().all();
      expect(names).not.toContain("ops_by_replica");
      expect(names).not.toContain("outbox_by_hlc");
      expect(seven.prepare("SELECT name FROM pragma_table_info('outbox')").pluck().all()).toEqual(["id"]);
      expect(seven.prepare("SELECT name FROM pragma_index_info('ops_by_target')").pluck().all()).toEqual(["target_type", "target_id"]);
      expect(seven.prepare("SELECT seq, op, hash FROM ops ORDER BY seq").all()).toEqual(before.rows);
    } finally {
      seven.close();
    }
  });

  it("keeps the outbox exact after the migration: a new own op enters, an ack removes it, clearing acks restores the acked", () => {
    const path = copyFixture();
    expectOutboxFollowsAcksAt(path, readSchema6(path).outbox);
  });
});
