/**
 * Migration 9 (migration-9.ts) on a file written by the schema-8 code:
 * fixtures/schema-8.sqlite.gz was made at commit cb2fe46 (main before
 * migration 9) by a replica with own ops (non-ASCII names), ops of a peer
 * ingested, the first three own ops acked, the fifth acked beyond the
 * fourth that still waits (a partial answer), and an own op written after
 * the acks. Opening it must keep every op byte for byte and the outbox
 * exactly, say the prefix by the acked position, keep the one ack beyond the
 * gap with its time, and verify.
 */
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  copyFixture as copyGzFixture,
  expectMigratedFile,
  expectOutboxFollowsAcksAt,
  expectOutboxKeptAt,
} from "../testing/migration-checks.js";
import { makeTempDir, type TempDir } from "../testing/temp-dir.js";
import { hlcOfKey } from "./hlc-key.js";
import { allStoredJson } from "./ops-store.js";

let dir: TempDir;
beforeEach(() => {
  dir = makeTempDir("qc-migration-9-");
});
afterEach(() => dir.remove());

interface Schema8Log {
  readonly rows: ReturnType<typeof allStoredJson>;
  readonly own: ReadonlyArray<string>;
  readonly outbox: ReadonlyArray<string>;
  readonly acks: ReadonlyArray<{ id: string; acked_at: string }>;
}

const copyFixture = (): string => copyGzFixture(new URL("./fixtures/schema-8.sqlite.gz", import.meta.url), dir.path("schema-8.sqlite"));

const ids = (keys: ReadonlyArray<Buffer>): Array<string> => keys.map(hlcOfKey);

function readSchema8(path: string): Schema8Log {
  const db = new Database(path, { readonly: true });
  try {
    expect(db.prepare("SELECT max(version) FROM schema_migrations").pluck().get()).toBe(8);
    const own = "substr(hlc, 9) = unhex((SELECT value FROM meta WHERE key = 'replica'))";
    const acks = db.prepare("SELECT hlc, acked_at FROM acks ORDER BY hlc").raw().all() as Array<[Buffer, string]>;
    return {
      rows: allStoredJson(db),
      own: ids(db.prepare(`SELECT hlc FROM ops WHERE ${own} ORDER BY hlc`).pluck().all() as Array<Buffer>),
      outbox: ids(db.prepare("SELECT hlc FROM outbox ORDER BY hlc").pluck().all() as Array<Buffer>),
      acks: acks.map(([key, at]) => ({ id: hlcOfKey(key), acked_at: at })),
    };
  } finally {
    db.close();
  }
}

describe("migration 9 on a schema-8 file", () => {
  it("keeps every op, the outbox exactly, the prefix as the acked position and the ack beyond the gap", () => {
    const path = copyFixture();
    const before = readSchema8(path);
    const [o0, o1, o2, o3, o4] = before.own;
    expect(before.rows.length).toBeGreaterThan(before.own.length); // a peer's ops too
    expect(before.acks.map((a) => a.id)).toEqual([o0, o1, o2, o4]);
    expect(before.outbox).toContain(o3);
    expect(before.rows.some((r) => /[^\x20-\x7e]/.test(r.op))).toBe(true);

    expectOutboxKeptAt(path, before.outbox);

    expectMigratedFile(path, before.rows, (db) => {
      expect(db.prepare("SELECT value FROM meta WHERE key = 'acked_through'").pluck().get()).toBe(o2);
      const acks = db.prepare("SELECT hlc, acked_at FROM acks").raw().all() as Array<[Buffer, string]>;
      expect(acks.map(([key, at]) => ({ id: hlcOfKey(key), acked_at: at }))).toEqual(before.acks.filter((a) => a.id === o4));
      expect(db.prepare("SELECT count(*) FROM outbox_behind").pluck().get()).toBe(0);
      const names = db.prepare("SELECT name FROM sqlite_schema").pluck().all();
      expect(names).not.toContain("outbox");
      expect(names.filter((n) => String(n).startsWith("outbox_"))).toEqual(["outbox_behind"]);
      expect(names).toContain("ops_own_time");
    });
  });

  it("keeps the outbox exact after the migration: a new own op enters, an ack removes it, clearing acks restores the acked", () => {
    const path = copyFixture();
    expectOutboxFollowsAcksAt(path, readSchema8(path).outbox);
  });
});
