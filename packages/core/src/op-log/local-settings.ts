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
  /** Every stored key, sorted. */
  readonly all: () => Readonly<Record<string, JsonValue>>;
}

export function makeLocalSettings(db: Database.Database, now: () => number): LocalSettings {
  return {
    get: (key) => {
      const row = db.prepare("SELECT value FROM local_settings WHERE key = ?").pluck().get(key) as string | undefined;
      return row === undefined ? undefined : (JSON.parse(row) as JsonValue);
    },
    set: (key, value) => {
      if (value === undefined) db.prepare("DELETE FROM local_settings WHERE key = ?").run(key);
      else {
        db.prepare("INSERT OR REPLACE INTO local_settings (key, value, updated_at) VALUES (?, ?, ?)").run(
          key,
          JSON.stringify(value),
          new Date(now()).toISOString(),
        );
      }
    },
    all: () => readAllSettings(db),
  };
}

export function readAllSettings(db: Database.Database): Readonly<Record<string, JsonValue>> {
  const rows = db.prepare("SELECT key, value FROM local_settings ORDER BY key").raw().all() as Array<[string, string]>;
  return Object.fromEntries(rows.map(([key, value]) => [key, JSON.parse(value) as JsonValue]));
}
