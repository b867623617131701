/**
 * What every migration test checks on a fixture file written by older code
 * (op-log/fixtures/*.sqlite.gz): each case migrates its own fresh copy, and
 * the outbox stays exactly "own ops without an ack" after the migration.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { expect } from "vitest";
import type { Replica } from "../replica.js";

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
