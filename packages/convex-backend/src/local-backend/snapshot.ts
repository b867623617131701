/**
 * File snapshots of the local backend's tables, so `pnpm backend:local
 * --data <file>` keeps its data across process restarts.
 *
 * Documents are re-inserted on load, so they get new `_id`s and
 * `_creationTime`s: fine for /convex, whose tables never store another
 * document's id and never use `_creationTime` as a cursor (docs/design.md §6).
 * Format v1: `{ v: 1, convex, clock, tables: { <table>: [doc without system fields] } }`.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { convexToJson, jsonToConvex, type JSONValue, type Value } from "convex/values";
import type { BackendState } from "./backend-state.js";
import { CONVEX_VERSION } from "./convex-version.js";

interface SnapshotV1 {
  readonly v: 1;
  readonly convex: string;
  /** The commit clock (decimal u64), so timestamps keep increasing after a load. */
  readonly clock: string;
  /** Documents in Convex's JSON encoding (`convexToJson`), so every Convex value survives. */
  readonly tables: Record<string, JSONValue[]>;
}

/** Inserts per transaction on load: well inside Convex's per-function write limits. */
const LOAD_CHUNK = 500;

/** Writes every table to `file` (atomically: temp file, then rename). Run it in the backend's queue. */
export async function saveSnapshot(state: BackendState, file: string): Promise<void> {
  const tables: SnapshotV1["tables"] = {};
  for (const table of state.tables) {
    const docs = await state.t.run((ctx) => ctx.db.query(table).collect());
    tables[table] = docs.map(({ _id: _ignoredId, _creationTime: _ignoredTime, ...fields }) => convexToJson(fields as Value));
  }
  const snapshot: SnapshotV1 = { v: 1, convex: CONVEX_VERSION, clock: state.now().toString(), tables };
  writeFileSync(`${file}.tmp`, JSON.stringify(snapshot));
  renameSync(`${file}.tmp`, file);
}

/** Loads `file` into an empty backend; returns false if there is no such file. */
export async function loadSnapshot(state: BackendState, file: string): Promise<boolean> {
  if (!existsSync(file)) return false;
  const snapshot = JSON.parse(readFileSync(file, "utf8")) as SnapshotV1;
  if (snapshot.v !== 1) throw new Error(`${file}: snapshot format v${String(snapshot.v)} is not v1`);
  for (const [table, docs] of Object.entries(snapshot.tables)) {
    for (let i = 0; i < docs.length; i += LOAD_CHUNK) {
      const chunk = docs.slice(i, i + LOAD_CHUNK);
      await state.t.run(async (ctx) => {
        for (const doc of chunk) await ctx.db.insert(table, jsonToConvex(doc) as Record<string, Value>);
      });
    }
  }
  state.advanceClock(BigInt(snapshot.clock));
  return true;
}
