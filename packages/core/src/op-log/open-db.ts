/**
 * Opens the SQLite file of a replica: pragmas, then migrations.
 *
 * - WAL: readers never block the writer; commits are appends to the WAL.
 * - synchronous=FULL (default): every committed transaction is durable before
 *   the call returns. NORMAL in WAL mode keeps atomicity but may roll back the
 *   last commits on power loss. For us that is not just a lost edit: an op may
 *   already have been pushed, and after a rollback the clock (seeded from the
 *   log) and the Yjs client clock could reissue the same id / Yjs item with
 *   other content, which the server refuses as "id-reused" and which corrupts
 *   text merges. FULL costs one fsync per interactive edit, well inside the
 *   2 ms budget on SSDs. `synchronous: "normal"` exists for bulk tools/benches.
 * - busy_timeout: another process (CLI next to the MCP server) may hold the
 *   write lock for a moment.
 * Foreign keys are not used: the op log references nothing.
 */
import Database from "better-sqlite3";
import { migrate } from "./schema.js";

export interface OpenDbOptions {
  readonly synchronous?: "full" | "normal";
}

export function openDb(path: string, options: OpenDbOptions = {}): Database.Database {
  const db = new Database(path);
  try {
    if (path !== ":memory:") db.pragma("journal_mode = WAL");
    db.pragma(`synchronous = ${options.synchronous === "normal" ? "NORMAL" : "FULL"}`);
    db.pragma("busy_timeout = 5000");
    migrate(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
