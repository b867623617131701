/**
 * Test support: the raw better-sqlite3 handle of a replica, for tests that
 * read tables directly or corrupt a file on purpose. Product code never
 * needs it (the Replica facade has no `db`).
 */
import type Database from "better-sqlite3";
import { handleOf } from "../replica-handle.js";
import type { Replica } from "../replica.js";

export function replicaDb(replica: Replica): Database.Database {
  return handleOf(replica);
}
