/**
 * The raw database handle behind a Replica, kept off its public type so
 * adapters cannot reach SQL. Only test support reads it
 * (`@qc/core/testing` `replicaDb`), for tests that inspect tables or
 * tamper with the file on purpose.
 */
import type Database from "better-sqlite3";

const handles = new WeakMap<object, Database.Database>();

export function registerHandle(replica: object, db: Database.Database): void {
  handles.set(replica, db);
}

export function handleOf(replica: object): Database.Database {
  const db = handles.get(replica);
  if (db === undefined) throw new Error("not a replica opened by openReplica");
  return db;
}
