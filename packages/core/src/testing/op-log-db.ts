/**
 * Helpers for the op log's own tests: an op log with a pluggable
 * materialiser, and remote ops from another replica (temp folders:
 * `temp-dir.ts`).
 */
import type Database from "better-sqlite3";
import { makeClock } from "../hlc.js";
import { makeOpBuilder, type OpBuilder } from "./pure/op-builder.js";
import { TEST_EPOCH_MS } from "./pure/test-hlc.js";
import type { ApplyOps } from "../op-log/append.js";
import { makeOpLog, type OpLog } from "../op-log/op-log.js";
import { openDb } from "../op-log/open-db.js";

export const TEST_PROJECT = "project-1";
export const LOCAL_REPLICA = "aaaaaaaaaaaaaaaa";
export const REMOTE_REPLICA = "bbbbbbbbbbbbbbbb";
/** 2026-01-01T00:00:00.000Z, the op builder's default wall clock. */
export const T0 = TEST_EPOCH_MS;

export interface TestLog extends OpLog {
  readonly now: { ms: number };
}

export function openTestLog(path = ":memory:", apply: ApplyOps = () => {}): TestLog {
  const now = { ms: T0 + 60_000 };
  const db = openDb(path, { expect: "new" });
  const clock = makeClock({ replica: LOCAL_REPLICA, now: () => now.ms });
  return { ...makeOpLog(db, { project: TEST_PROJECT, replica: LOCAL_REPLICA, clock, apply, now: () => now.ms }), now };
}

/** Ops as another replica would send them (HLCs at T0 onwards). */
export function remoteOps(replica = REMOTE_REPLICA): OpBuilder {
  return makeOpBuilder({ project: TEST_PROJECT, replica, actor: "bob", now: () => T0 });
}

export function localOps(): OpBuilder {
  return makeOpBuilder({ project: TEST_PROJECT, replica: LOCAL_REPLICA, actor: "alice", now: () => T0 });
}

export function countRows(db: Database.Database, table: string): number {
  return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
}
