/**
 * The one prepared-statement cache of a replica file: statements cached per
 * database connection, keyed by SQL text and row mode. Preparing costs more
 * than running a small statement, and ingest runs lookups per op.
 *
 * The op log and every materialiser module write their SQL inline and call `prep`,
 * `prepRaw` (rows as arrays) or `prepPluck` (first column only): the first
 * call prepares, later calls reuse. The mode is part of the key because
 * better-sqlite3 stores it on the statement. The cache is dropped when the
 * tables are recreated (`resetStatements`): a statement prepared against a
 * dropped table would fail.
 */
import type Database from "better-sqlite3";

type Mode = "object" | "raw" | "pluck";

// One map per mode, keyed by the SQL text itself: the SQL is a literal in the
// caller, so its hash is computed once; a `${mode}${sql}` key was a new string
// to flatten and hash on every call.
type Cache = Record<Mode, Map<string, Database.Statement>>;
const caches = new WeakMap<Database.Database, Cache>();

export function prep(db: Database.Database, sql: string): Database.Statement {
  return cached(db, sql, "object");
}

export function prepRaw(db: Database.Database, sql: string): Database.Statement {
  return cached(db, sql, "raw");
}

export function prepPluck(db: Database.Database, sql: string): Database.Statement {
  return cached(db, sql, "pluck");
}

export function resetStatements(db: Database.Database): void {
  caches.delete(db);
}

/** The first column of the first row, or undefined. */
export function pluck<T>(db: Database.Database, sql: string, ...params: ReadonlyArray<unknown>): T | undefined {
  return prepPluck(db, sql).get(...params) as T | undefined;
}

/** The first column of every row. */
export function pluckAll<T>(db: Database.Database, sql: string, ...params: ReadonlyArray<unknown>): Array<T> {
  return prepPluck(db, sql).all(...params) as Array<T>;
}

function cached(db: Database.Database, sql: string, mode: Mode): Database.Statement {
  let cache = caches.get(db);
  if (cache === undefined) {
    cache = { object: new Map(), raw: new Map(), pluck: new Map() };
    caches.set(db, cache);
  }
  const byMode = cache[mode];
  let stmt = byMode.get(sql);
  if (stmt === undefined) {
    stmt = db.prepare(sql);
    if (mode === "raw") stmt.raw(true);
    else if (mode === "pluck" && stmt.reader) stmt.pluck(true);
    byMode.set(sql, stmt);
  }
  return stmt;
}
