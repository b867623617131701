/**
 * Child process of the rebuild and late-ingest benchmarks, so each measures
 * its own peak memory (maxRSS). Prints one JSON line: { ms, maxRssMb, ... }.
 *
 *   rebuild-child.ts qc <db>        replica.rebuild() of the whole log
 *   rebuild-child.ts baseline <db>  plain upsert replay of the same ops
 *   rebuild-child.ts late <db> <n>  ingest n late ops (older HLCs) into the log
 */
import Database from "better-sqlite3";
import { openReplica } from "../src/replica.js";
import type { Op } from "../src/op/op.js";
import { timeMs } from "./measure.js";
import { generateOps } from "./workload.js";
import { replicaDb } from "../src/testing/replica-db.js";
import { parseHlc } from "../src/hlc.js";
import { hlcOfKey } from "../src/op-log/hlc-key.js";
import { opPagesByHlc } from "../src/op-log/ops-store.js";

export const BENCH_PROJECT = "bench-project";
const LATE_REPLICAS = ["d4d4d4d4d4d4d4d4", "e5e5e5e5e5e5e5e5", "f6f6f6f6f6f6f6f6"] as const;

const [mode, path, extra] = process.argv.slice(2);
if (path === undefined) throw new Error("usage: rebuild-child.ts qc|baseline|late <db> [n]");

const result = mode === "qc" ? rebuildQc(path) : mode === "baseline" ? replayBaseline(path) : ingestLate(path, Number(extra));
console.log(JSON.stringify({ ...result, maxRssMb: process.resourceUsage().maxRSS / 1024 }));

function rebuildQc(file: string) {
  const replica = openReplica(file, { actor: "bench", project: BENCH_PROJECT, synchronous: "normal" });
  const ms = timeMs(() => replica.rebuild());
  replica.close();
  return { ms };
}

/**
 * The plain equivalent: read every op in HLC order, parse it, and upsert what
 * it writes into one generic (type, id, field) -> value table.
 */
function replayBaseline(file: string) {
  const db = new Database(file);
  db.pragma("synchronous = NORMAL");
  const ms = timeMs(() => {
    db.exec(
      "DROP TABLE IF EXISTS baseline_fields; CREATE TABLE baseline_fields (type TEXT, id TEXT, field TEXT, value TEXT, hlc TEXT, PRIMARY KEY (type, id, field)) WITHOUT ROWID",
    );
    const upsert = db.prepare(
      "INSERT INTO baseline_fields (type, id, field, value, hlc) VALUES (?, ?, ?, ?, ?) ON CONFLICT (type, id, field) DO UPDATE SET value = excluded.value, hlc = excluded.hlc",
    );
    // better-sqlite3 cannot write while a statement iterates: read pages.
    db.transaction(() => {
      for (const page of opPagesByHlc(db, 10_000)) {
        for (const op of page) {
          for (const [field, value] of writesOf(op)) upsert.run(op.target.type, op.target.id, field, JSON.stringify(value), op.hlc);
        }
      }
    })();
  });
  db.close();
  return { ms };
}

function writesOf(op: Op): Array<[string, unknown]> {
  switch (op.kind) {
    case "create":
      return Object.entries(op.body.fields);
    case "set":
      return [[op.body.field, op.body.value]];
    case "text":
      return [[op.body.field, op.body.update]];
    case "move":
      return [["parent", op.body.parent]];
    case "delete":
    case "restore":
      return [["lifecycle", op.kind]];
    case "link":
      return [[`link:${op.id}`, op.body.source]];
    default:
      return [[op.kind, op.body]];
  }
}

function ingestLate(file: string, count: number) {
  const replica = openReplica(file, { actor: "bench", project: BENCH_PROJECT, synchronous: "normal" });
  const [lo, hi] = (replicaDb(replica).prepare("SELECT min(hlc), max(hlc) FROM ops").raw().get() as [Buffer, Buffer]).map(
    (key) => parseHlc(hlcOfKey(key)).wallMs,
  ) as [number, number];
  // Ops made offline during the first third of the log's time span.
  const late = [
    ...generateOps({ project: BENCH_PROJECT, count, startMs: lo + Math.floor((hi - lo) / 3), replicas: LATE_REPLICAS, seed: 7 }),
  ];
  let quarantined = 0;
  const ms = timeMs(() => {
    for (let i = 0; i < late.length; i += 1000) quarantined += replica.sync.ingest(late.slice(i, i + 1000)).quarantined;
  });
  replica.close();
  return { ms, quarantined };
}
