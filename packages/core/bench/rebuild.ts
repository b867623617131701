/**
 * Full rebuild of a large mixed log, and late ingest into it (docs/design.md §8):
 * - rebuild of 1,000,000 mixed ops: at least 50% of a plain upsert replay,
 *   peak memory under 300 MB;
 * - ingesting 10,000 late ops into the 1,000,000-op log: under 5% of a full
 *   rebuild.
 * Each measurement runs in its own child process (peak memory per process).
 */
import { copyFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { createReplica } from "../src/replica.js";
import { insertOps } from "../src/materialiser/index.js";
import type { Op } from "../src/op/op.js";
import { printFigure, runChild, scaled } from "./measure.js";
import { makeTempDir } from "../src/testing/temp-dir.js";
import { generateOps } from "./workload.js";

const PROJECT = "bench-project";
const CHILD = fileURLToPath(new URL("./rebuild-child.ts", import.meta.url));

interface ChildResult {
  readonly ms: number;
  readonly maxRssMb: number;
  readonly quarantined?: number;
}

export function benchRebuild(): void {
  const count = scaled(1_000_000);
  const lateCount = scaled(10_000);
  const dir = makeTempDir("qc-bench-rebuild-").root;
  const template = join(dir, "template.db");
  writeLog(template, count);
  const copy = (name: string) => {
    const p = join(dir, name);
    copyFileSync(template, p);
    return p;
  };

  const base = runChild<ChildResult>(CHILD, ["baseline", copy("baseline.db")]);
  const qcDb = copy("qc.db");
  const qc = runChild<ChildResult>(CHILD, ["qc", qcDb]);
  const late = runChild<ChildResult>(CHILD, ["late", qcDb, String(lateCount)]);
  if ((late.quarantined ?? 0) > 0) throw new Error(`late workload quarantined ${late.quarantined} ops: fix the generator`);

  const n = count.toLocaleString("en-US");
  const rate = count / (qc.ms / 1000);
  const baseRate = count / (base.ms / 1000);
  printFigure({
    name: `full rebuild, ${n} mixed ops`,
    value: rate,
    unit: "ops/s",
    baseline: { name: "plain upsert replay", value: baseRate },
    target: { text: ">= 0.50 of baseline", met: rate / baseRate >= 0.5 },
  });
  printFigure({
    name: `full rebuild peak memory (child maxRSS)`,
    value: qc.maxRssMb,
    unit: "MB",
    baseline: { name: "plain upsert replay maxRSS", value: base.maxRssMb },
    target: { text: "< 300 MB", met: qc.maxRssMb < 300 },
  });
  printFigure({
    name: `ingest ${lateCount.toLocaleString("en-US")} late ops into the ${n}-op log`,
    value: late.ms,
    unit: "ms",
    baseline: { name: "full rebuild", value: qc.ms },
    target: { text: "< 0.05 of a full rebuild", met: late.ms / qc.ms < 0.05 },
  });
}

/** The log as a replica would hold it: ops inserted, materialised later by rebuild. */
export function writeLog(path: string, count: number): void {
  createReplica(path, { actor: "bench", project: PROJECT }).close();
  const db = new Database(path);
  db.pragma("synchronous = OFF");
  const write = db.transaction((ops: ReadonlyArray<Op>) => insertOps(db, ops));
  let batch: Op[] = [];
  for (const op of generateOps({ project: PROJECT, count })) {
    batch.push(op);
    if (batch.length === 10_000) {
      write(batch);
      batch = [];
    }
  }
  write(batch);
  db.close();
}
