/**
 * Migration 8 (migration-8.ts) on a file written by the schema-7 code:
 * fixtures/schema-7.sqlite.gz was made at commit 9d443d2 (main before
 * migration 8) by a replica with own ops (non-ASCII names, a text source,
 * a segment, an undo, a merge), ops of a peer with a non-ASCII actor
 * ingested by pull with two receipts, four own ops acked, and own ops
 * written after the acks. Opening it must keep every op and hash byte for
 * byte, the outbox, the acks and the receipts, and verify.
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
import { hlcOfKey } from "./hlc-key.js";
import { migrate } from "./schema.js";

let dir: TempDir;
beforeEach(() => {
  dir = makeTempDir("qc-migration-8-");
});
afterEach(() => dir.remove());

interface Schema7Log {
  readonly rows: ReadonlyArray<{ seq: number; op: string; hash: string }>;
  readonly outbox: ReadonlyArray<string>;
  readonly acks: ReadonlyArray<{ id: string; acked_at: string }>;
  readonly receipts: ReadonlyArray<{ id: string; received_at: number }>;
}

const copyFixture = (): string => copyGzFixture(new URL("./fixtures/schema-7.sqlite.gz", import.meta.url), dir.path("schema-7.sqlite"));

function readSchema7(path: string): Schema7Log {
  const db = new Database(path, { readonly: true });
  try {
    expect(db.prepare("SELECT max(version) FROM schema_migrations").pluck().get()).toBe(7);
    return {
      rows: db.prepare("SELECT seq, op, hash FROM ops ORDER BY seq").all() as Schema7Log["rows"],
      outbox: db.prepare("SELECT id FROM outbox ORDER BY id").pluck().all() as Array<string>,
      acks: db.prepare("SELECT id, acked_at FROM acks ORDER BY id").all() as Schema7Log["acks"],
      receipts: db.prepare("SELECT id, received_at FROM op_receipts ORDER BY id").all() as Schema7Log["receipts"],
    };
  } finally {
    db.close();
  }
}

describe("migration 8 on a schema-7 file", () => {
  it("keeps every op and hash byte for byte, the outbox, acks and receipts, and a verifying state", () => {
    const path = copyFixture();
    const before = readSchema7(path);
    expect(before.rows.length).toBeGreaterThan(10);
    expect(before.outbox.length).toBeGreaterThan(0);
    expect(before.acks).toHaveLength(4);
    expect(before.receipts).toHaveLength(2);
    expect(before.rows.some((r) => /[^\x20-\x7e]/.test(r.op))).toBe(true); // non-ASCII content is part of the check

    const replica = openReplica(path, { actor: "ana" });
    try {
      expect(replica.read.opsSince(0, 1_000).map((p) => canonicalJson(p.op))).toEqual(before.rows.map((r) => r.op));
      expect(replica.sync.opsAfter().map(canonicalJson)).toEqual(before.rows.map((r) => r.op).sort(byId));
      expectOutboxKept(replica, before.outbox);
      const received = before.receipts.map((r) => r.id);
      const times = replica.read.history.byActor("Jos\u00e9").filter((e) => received.includes(e.op.id));
      expect(times.map((e) => e.receivedAt)).toEqual(before.receipts.map((r) => new Date(r.received_at).toISOString()));
    } finally {
      replica.close();
    }

    expectMigratedFile(path, before.rows, (db) => {
      const names = db.prepare("SELECT name FROM sqlite_schema").pluck().all();
      expect(names).not.toContain("ops_v7");
      expect(names).not.toContain("ops_by_hlc");
    });

    // Migration 8's own acks, on a copy taken only that far (version 9 keeps only what the acked position cannot say).
    const eight = new Database(copyGzFixture(new URL("./fixtures/schema-7.sqlite.gz", import.meta.url), dir.path("schema-7-to-8.sqlite")));
    try {
      migrate(eight, 8);
      const acks = eight.prepare("SELECT hlc, acked_at FROM acks ORDER BY hlc").raw().all() as Array<[Buffer, string]>;
      expect(acks.map(([key, at]) => ({ id: hlcOfKey(key), acked_at: at }))).toEqual(before.acks);
    } finally {
      eight.close();
    }
  });

  it("keeps the outbox exact after the migration: a new own op enters, an ack removes it, clearing acks restores the acked", () => {
    const path = copyFixture();
    expectOutboxFollowsAcksAt(path, readSchema7(path).outbox);
  });

  it("refuses a row whose id is not its HLC and leaves the file at version 7, untouched", () => {
    const path = copyFixture();
    const db = new Database(path);
    // The decoder never admitted such a row; a damaged file can hold one all the same.
    db.exec("DROP TRIGGER ops_append_only_update; UPDATE ops SET id = 'x' || id WHERE seq = 3");
    db.close();
    const before = readSchema7(path);
    expect(() => openReplica(path, { actor: "ana" })).toThrow(/migration 8: op x.* \(seq 3\) cannot be re-encoded: its id is not its HLC/);
    const after = readSchema7(path);
    expect(after).toEqual(before);
  });
});

function byId(a: string, b: string): number {
  const ia = (JSON.parse(a) as { id: string }).id;
  const ib = (JSON.parse(b) as { id: string }).id;
  return ia < ib ? -1 : ia > ib ? 1 : 0;
}
