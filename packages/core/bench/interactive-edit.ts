/**
 * One interactive edit (docs/design.md §8: p99 under 2 ms): a researcher renames a
 * code — validate, append the op and materialise it in its own transaction,
 * on a file database with synchronous=NORMAL (the replica default, open-db.ts).
 * Baseline: plain better-sqlite3 inserting one row and upserting one row in
 * its own transaction, same pragmas.
 */
import Database from "better-sqlite3";
import { join } from "node:path";
import { createReplica } from "../src/replica.js";
import { percentile, printFigure, scaled } from "./measure.js";
import { makeTempDir } from "../src/testing/temp-dir.js";

const EDITS = 2_000;

export function benchInteractiveEdit(): void {
  const dir = makeTempDir("qc-bench-edit-").root;
  const replica = createReplica(join(dir, "qc.db"), { actor: "ana", projectName: "Interviews" });
  const codes = Array.from({ length: scaled(1_000) }, (_, i) => replica.commands.createCode({ name: `code ${i}`, color: "#336699" }));
  const qc = sample(EDITS, (i) => replica.commands.rename("code", codes[i % codes.length] as string, `renamed ${i}`));
  replica.close();
  const base = baselineSamples(join(dir, "raw.db"));
  for (const p of [50, 99] as const) {
    const value = percentile(qc, p);
    printFigure({
      name: `interactive edit (rename a code) p${p}, ${EDITS} edits`,
      value,
      unit: "ms",
      baseline: { name: `plain insert + upsert transaction p${p}`, value: percentile(base, p) },
      ...(p === 99 ? { target: { text: "p99 < 2 ms", met: value < 2 } } : {}),
    });
  }
  // The tail beyond p99: the short copy a commit makes after the background WAL checkpoint (op-log/wal-checkpoint.ts).
  printFigure({
    name: `interactive edit max, ${EDITS} edits`,
    value: qc[qc.length - 1] as number,
    unit: "ms",
    baseline: { name: "plain insert + upsert transaction max", value: base[base.length - 1] as number },
  });
}

function sample(n: number, edit: (i: number) => void): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = process.hrtime.bigint();
    edit(i);
    out.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return out.sort((a, b) => a - b);
}

function baselineSamples(path: string): number[] {
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.exec("CREATE TABLE log (seq INTEGER PRIMARY KEY, id TEXT UNIQUE, op TEXT); CREATE TABLE codes (id TEXT PRIMARY KEY, name TEXT)");
  const insert = db.prepare("INSERT INTO log (id, op) VALUES (?, ?)");
  const upsert = db.prepare("INSERT INTO codes (id, name) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name");
  const edit = db.transaction((i: number) => {
    insert.run(`op-${i}`, JSON.stringify({ kind: "set", field: "name", value: `renamed ${i}` }));
    upsert.run(`code-${i % 1000}`, `renamed ${i}`);
  });
  const samples = sample(EDITS, edit);
  db.close();
  return samples;
}
