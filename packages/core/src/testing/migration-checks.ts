/**
 * What every migration test checks on a fixture file written by older code
 * (op-log/fixtures/*.sqlite.gz): each case migrates its own fresh copy, and
 * the outbox stays exactly "own ops without an ack" after the migration.
 */
import Database from "better-sqlite3";
import { readFileSync, writeFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { expect } from "vitest";
import { hlcOfKey } from "../op-log/hlc-key.js";
import { allStoredJson } from "../op-log/ops-store.js";
import { SCHEMA_VERSION } from "../op-log/schema.js";
import { openReplica, type Replica } from "../replica.js";

/**
 * The outbox of a file at schema 9 or later, read straight from its tables:
 * own ops (the key's last 8 bytes are meta.replica) above meta.acked_through
 * (every own op when it is absent), in HLC order. What a migration must keep.
 */
export function waitingOwnOps(db: Database.Database): Array<string> {
  const acked = db.prepare("SELECT value FROM meta WHERE key = 'acked_through'").pluck().get() as string | undefined;
  const own = "substr(hlc, 9) = unhex((SELECT value FROM meta WHERE key = 'replica'))";
  const keys = db.prepare(`SELECT hlc FROM ops WHERE ${own} ORDER BY hlc`).pluck().all() as Array<Buffer>;
  return keys.map(hlcOfKey).filter((id) => acked === undefined || id > acked);
}

/** Writes the gunzipped fixture `gz` (a file URL) to `path` and returns `path`. */
export function copyFixture(gz: URL, path: string): string {
  writeFileSync(path, gunzipSync(readFileSync(gz)));
  return path;
}

/**
 * On a migrated replica whose outbox held `before`: a new own op joins the
 * outbox after them, acking everything empties it, and clearing the acks
 * brings back every own op in HLC order.
 */
export function expectOutboxFollowsAcks(replica: Replica, before: ReadonlyArray<string>): void {
  replica.commands.createCode({ name: "after migration", color: "#000000" });
  const outbox = replica.sync.outbox(1_000).map((op) => op.id);
  expect(outbox.slice(0, before.length)).toEqual(before);
  expect(outbox).toHaveLength(before.length + 1);
  replica.sync.markAcked(outbox);
  expect(replica.sync.outboxSize()).toBe(0);
  replica.sync.resetSync();
  const own = replica.read.opsSince(0, 1_000).filter((p) => p.op.replica === replica.replica);
  expect(replica.sync.outbox(1_000).map((op) => op.id)).toEqual(own.map((p) => p.op.id).sort());
  expect(replica.sync.outboxSize()).toBe(own.length);
}

/** Opens the migrated file at `path` and checks `expectOutboxFollowsAcks` on it. */
export function expectOutboxFollowsAcksAt(path: string, before: ReadonlyArray<string>): void {
  const replica = openReplica(path, { actor: "ana" });
  try {
    expectOutboxFollowsAcks(replica, before);
  } finally {
    replica.close();
  }
}

/** The migrated replica hands out exactly the outbox `before` held, in HLC order, and verifies. */
export function expectOutboxKept(replica: Replica, before: ReadonlyArray<string>): void {
  expect(replica.sync.outbox(1_000).map((op) => op.id)).toEqual(before);
  expect(replica.sync.outboxSize()).toBe(before.length);
  expect(replica.read.verify({ full: true })).toEqual({ ok: true });
}

/** Opens the migrated file at `path` and checks `expectOutboxKept` on it. */
export function expectOutboxKeptAt(path: string, before: ReadonlyArray<string>): void {
  const replica = openReplica(path, { actor: "ana" });
  try {
    expectOutboxKept(replica, before);
  } finally {
    replica.close();
  }
}

/** The migrated file at `path` holds `rows` byte for byte at SCHEMA_VERSION; `more` checks the rest of it. */
export function expectMigratedFile(
  path: string,
  rows: ReturnType<typeof allStoredJson>,
  more: (db: Database.Database) => void = () => {},
): void {
  const db = new Database(path, { readonly: true });
  try {
    expect(allStoredJson(db)).toEqual(rows);
    expect(db.prepare("SELECT max(version) FROM schema_migrations").pluck().get()).toBe(SCHEMA_VERSION);
    more(db);
  } finally {
    db.close();
  }
}
