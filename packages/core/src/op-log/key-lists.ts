/**
 * A read over many keys in one statement: `WHERE col IN (?, ?, …)` with the
 * keys bound as parameters, in chunks of at most KEY_LIST_CHUNK. A chunk is
 * padded with NULLs to the next power of two (`col IN (…, NULL)` matches
 * what the keys match), so a statement is prepared for at most a dozen list
 * lengths, and a single key costs about what a plain per-key lookup does.
 *
 * It replaces `IN (SELECT value FROM json_each(?))` (docs/decisions/0018,
 * 0025): the JSON text built in JS and parsed again by the virtual table cost
 * about two plain statement calls for one key, which the one-candidate
 * batches of the command path paid on every rename.
 */
import type Database from "better-sqlite3";
import { prepRaw } from "./statements.js";

export const KEY_LIST_CHUNK = 1024;

/** Marks where the placeholders go in a key-list statement's SQL: `… IN (${KEYS}) …`. */
export const KEYS = "%KEYS%";

/**
 * Every row (as an array) of `sql` run on consecutive chunks of `keys`, each
 * bound after `leading`. `sql` holds KEYS once, inside `IN (…)`.
 */
export function allByKeys<Row>(
  db: Database.Database,
  sql: string,
  leading: ReadonlyArray<unknown>,
  keys: ReadonlyArray<unknown>,
): Array<Row> {
  const rows: Array<Row> = [];
  for (let from = 0; from < keys.length; from += KEY_LIST_CHUNK) {
    const chunk = keys.slice(from, from + KEY_LIST_CHUNK);
    const size = bucket(chunk.length);
    const params: Array<unknown> = [...leading, ...chunk];
    for (let i = chunk.length; i < size; i++) params.push(null);
    for (const row of prepRaw(db, sqlFor(sql, size)).all(params) as Array<Row>) rows.push(row);
  }
  return rows;
}

function bucket(n: number): number {
  let size = 1;
  while (size < n) size *= 2;
  return size;
}

// The SQL text of each (statement, list length): built once, so the
// statement cache's lookup is by a string that already has its hash.
const texts = new Map<string, Array<string>>();

function sqlFor(sql: string, size: number): string {
  let bySize = texts.get(sql);
  if (bySize === undefined) {
    if (!sql.includes(KEYS)) throw new Error(`qc defect: key-list statement without ${KEYS}: ${sql}`);
    bySize = [];
    texts.set(sql, bySize);
  }
  const log2 = Math.log2(size);
  let text = bySize[log2];
  if (text === undefined) {
    text = sql.replace(KEYS, Array.from({ length: size }, () => "?").join(", "));
    bySize[log2] = text;
  }
  return text;
}
