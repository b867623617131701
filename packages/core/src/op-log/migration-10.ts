/**
 * Migration 10 (schema.ts, docs/decisions/0028-no-stored-op-hash.md): the
 * `ops.hash` column goes. A hash is a function of the row's canonical JSON
 * (op-codec.ts `contentHash`), and the duplicate check compares the JSON
 * itself, so nothing read it but that check. Every row keeps its canonical
 * JSON byte for byte; before the column goes each stored hash must still be
 * the hash of its row's JSON, or the migration stops and the file stays at
 * version 9 (a file whose rows no longer match their hashes is damaged, and
 * dropping the evidence would hide it).
 *
 * SQLite rewrites the table without the column; the pages it frees stay in
 * the file and the log's next growth reuses them (no VACUUM: that would
 * copy the whole file once more, on open).
 */
import type Database from "better-sqlite3";
import { contentHash } from "./op-codec.js";
import { storedJsonsBySeq } from "./ops-store.js";

export function dropStoredHashes(db: Database.Database): void {
  const columns = db.prepare("SELECT name FROM pragma_table_info('ops')").pluck().all() as Array<string>;
  // A file that reached schema 8 through today's migration 8 was written without the column.
  if (!columns.includes("hash")) return;
  const hashes = db.prepare("SELECT seq, hash FROM ops WHERE seq > ? ORDER BY seq LIMIT ?").raw();
  for (let after = 0; ;) {
    const page = storedJsonsBySeq(db, after, PAGE);
    const stored = hashes.all(after, PAGE) as Array<[number, Buffer]>;
    page.forEach(({ seq, json }, i) => {
      const [hashSeq, hash] = stored[i] ?? [];
      if (hashSeq !== seq || contentHash(json) !== hash?.toString("hex")) {
        throw new Error(
          `migration 10: op ${hlcOfJson(json)} (seq ${seq}) no longer matches its stored hash (the file is damaged); the file is left at version 9`,
        );
      }
    });
    const last = page.at(-1);
    if (last === undefined) break;
    after = last.seq;
  }
  db.exec("ALTER TABLE ops DROP COLUMN hash");
}

/** The op's id, for the error: the row's JSON is canonical, so it parses. */
const hlcOfJson = (json: string): string => (JSON.parse(json) as { id: string }).id;

const PAGE = 5000;
