/**
 * Batched append (docs/design.md §8: at least 60% of raw insert throughput).
 *
 * qc: `replica.ingest(batch)` of valid ops in batches of 1,000 — decode and
 * validate each op, canonical JSON + SHA-256, insert into the append-only log
 * and materialise, one transaction per batch.
 * Baseline (synchronous=NORMAL, as the replica runs): plain better-sqlite3 inserting the same ops (JSON.stringify) into
 * a table of the same columns, one transaction per batch.
 */
import Database from "better-sqlite3";
import { join } from "node:path";
import { createReplica } from "../src/replica.js";
import type { Op } from "../src/op/op.js";
import { printFigure, scaled, timeMs } from "./measure.js";
import { makeTempDir } from "../src/testing/temp-dir.js";
import { generateOps } from "./workload.js";

const PROJECT = "bench-project";
const BATCH = 1_000;

export function benchAppend(): void {
  const ops = [...generateOps({ project: PROJECT, count: scaled(100_000) })];
  const dir = makeTempDir("qc-bench-append-").root;
  const baselineMs = timeMs(() => rawInsert(join(dir, "raw.db"), ops));
  const replica = createReplica(join(dir, "qc.db"), { actor: "bench", project: PROJECT });
  let quarantined = 0;
  const qcMs = timeMs(() => {
    for (let i = 0; i < ops.length; i += BATCH) quarantined += replica.sync.ingest(ops.slice(i, i + BATCH)).quarantined;
  });
  replica.close();
  if (quarantined > 0) throw new Error(`bench workload produced ${quarantined} quarantined ops: fix the generator`);
  const qcRate = ops.length / (qcMs / 1000);
  const baseRate = ops.length / (baselineMs / 1000);
  printFigure({
    name: `batched append, ${ops.length.toLocaleString("en-US")} ops in batches of ${BATCH}`,
    value: qcRate,
    unit: "ops/s",
    baseline: { name: "raw better-sqlite3 insert", value: baseRate },
    target: { text: ">= 0.60 of baseline", met: qcRate / baseRate >= 0.6 },
  });
}

function rawInsert(path: string, ops: ReadonlyArray<Op>): void {
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.exec(`CREATE TABLE ops (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, hlc TEXT NOT NULL, kind TEXT NOT NULL,
    target_type TEXT NOT NULL, target_id TEXT NOT NULL, actor TEXT NOT NULL, replica TEXT NOT NULL, op TEXT NOT NULL)`);
  const insert = db.prepare("INSERT INTO ops (id, hlc, kind, target_type, target_id, actor, replica, op) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  const batch = db.transaction((slice: ReadonlyArray<Op>) => {
    for (const op of slice) insert.run(op.id, op.hlc, op.kind, op.target.type, op.target.id, op.actor, op.replica, JSON.stringify(op));
  });
  for (let i = 0; i < ops.length; i += BATCH) batch(ops.slice(i, i + BATCH));
  db.close();
}
