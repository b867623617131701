/**
 * `replica.local`: settings of this one file (the app's sync switch, server
 * URL, member token, actor), stored in `local_settings` (schema v3). They are
 * never an op, never synced, never in a status: a secret such as the member
 * token may live here. Values are JSON; each write is its own transaction.
 */
import type Database from "better-sqlite3";
import type { JsonValue } from "../op/op.js";

export interface LocalSettings {
  readonly get: (key: string) => JsonValue | undefined;
  /** Writes `value` (undefined removes the key). */
  readonly set: (key: string, value: JsonValue | undefined) => void;
  /**
   * Read-modify-write of one key in one immediate transaction, so two
   * processes on the file never both win (a lease, a counter). Returns the
   * value stored afterwards.
   */
  readonly update: (key: string, fn: (current: JsonValue | undefined) => JsonValue | undefined) => JsonValue | undefined;
  /** Every stored key, sorted. */
  readonly all: () => Readonly<Record<string, JsonValue>>;
}

export function makeLocalSettings(db: Database.Database, now: () => number): LocalSettings {
  const get = (key: string): JsonValue | undefined => {
    const row = db.prepare("SELECT value FROM local_settings WHERE key = ?").pluck().get(key) as string | undefined;
    return row === undefined ? undefined : (JSON.parse(row) as JsonValue);
  };
  const set = (key: string, value: JsonValue | undefined): void => {
    if (value === undefined) db.prepare("DELETE FROM local_settings WHERE key = ?").run(key);
    else {
      db.prepare("INSERT OR REPLACE INTO local_settings (key, value, updated_at) VALUES (?, ?, ?)").run(
        key,
        JSON.stringify(value),
        new Date(now()).toISOString(),
      );
    }
  };
  return {
    get,
    set,
    update: (key, fn) =>
      db
        .transaction(() => {
          const next = fn(get(key));
          set(key, next);
          return next;
        })
        .immediate(),
    all: () => readAllSettings(db),
  };
}

export function readAllSettings(db: Database.Database): Readonly<Record<string, JsonValue>> {
  const rows = db.prepare("SELECT key, value FROM local_settings ORDER BY key").raw().all() as Array<[string, string]>;
  return Object.fromEntries(rows.map(([key, value]) => [key, JSON.parse(value) as JsonValue]));
}
