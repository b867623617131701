/**
 * Raw SQLite CPU cost of a `set`'s register upkeep on a catch-up, per
 * layout of its write record (docs/decisions/0025): 2,000 registers (1,000
 * codes × name, colour), pages of 1,000 sets that each touch a different
 * register, as W3 of bench:peers does. Each set runs the register's
 * `writeAfterUnseen` UPDATE (registers.ts) and records its write:
 *
 * - `beside`: a row of m_registers next to the register (0021's layout, materialiser versions 6-7);
 * - `apart`: a row of its own table keyed by op id (appends in HLC order; close to
 *   today's m_register_writes, keyed by the op a write saw: decision 0027);
 * - `apart+index`: the same plus an index by register and prev key;
 * - `none`: no record (the floor).
 *
 * Prints the median page's CPU µs per set, three rounds.
 * Standalone: `pnpm exec tsx packages/core/bench/register-layout.ts`.
 */
import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

type Layout = "beside" | "apart" | "apart+index" | "none";
const LAYOUTS: ReadonlyArray<Layout> = ["beside", "apart", "apart+index", "none"];
const CODES = 1000;
const PAGES = 20;

const cpuMs = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const ids = Array.from({ length: CODES }, (_, i) => `01a2417f-4c9f-71ba-8bde-${String(i).padStart(12, "0")}`);
const hlcAt = (n: number): string =>
  `2026-12-04T14:${String(Math.floor(n / 60000) % 60).padStart(2, "0")}:${String(Math.floor(n / 1000) % 60).padStart(2, "0")}.` +
  `${String(n % 1000).padStart(3, "0")}Z-0000-7f3a9c2e1b4d5a6c`;

function usPerSet(layout: Layout): number {
  const dir = mkdtempSync(join(tmpdir(), "qc-register-layout-"));
  const db = new Database(join(dir, "x.sqlite"));
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.exec(`CREATE TABLE m_registers (type TEXT NOT NULL, id TEXT NOT NULL, field TEXT NOT NULL, is_register INTEGER NOT NULL,
        op_id TEXT NOT NULL, value TEXT, hlc TEXT, unseen TEXT, seen_max TEXT, prev_key TEXT,
        PRIMARY KEY (type, id, field, is_register, op_id)) WITHOUT ROWID;
      CREATE TABLE writes (op_id TEXT PRIMARY KEY, type TEXT, id TEXT, field TEXT, prev_key TEXT) WITHOUT ROWID;
      ${layout === "apart+index" ? "CREATE INDEX writes_register ON writes(type, id, field, prev_key);" : ""}`);
    const beside = db.prepare(
      "INSERT OR IGNORE INTO m_registers (type, id, field, is_register, op_id, prev_key) VALUES ('code', ?, ?, 0, ?, ?)",
    );
    const apart = db.prepare("INSERT OR IGNORE INTO writes (op_id, type, id, field, prev_key) VALUES (?, 'code', ?, ?, ?)");
    const update = db.prepare(
      `UPDATE m_registers SET value = CASE WHEN ? > hlc THEN ? ELSE value END, hlc = max(hlc, ?), unseen = ?, seen_max = max(coalesce(seen_max, ?), ?)
       WHERE type = 'code' AND id = ? AND field = ? AND is_register = 1 AND unseen = ? AND (seen_max IS NULL OR seen_max < ?)`,
    );
    const create = db.prepare(
      "INSERT INTO m_registers (type, id, field, is_register, op_id, value, hlc, unseen) VALUES ('code', ?, ?, 1, '', '\"x\"', ?, ?)",
    );
    const last = new Map<string, string>();
    let n = 0;
    db.transaction(() => {
      for (const id of ids)
        for (const field of ["name", "color"]) {
          const hlc = hlcAt(n++);
          last.set(id + field, hlc);
          create.run(id, field, hlc, JSON.stringify([hlc]));
        }
    })();
    const pages: Array<number> = [];
    for (let p = 0; p < PAGES; p++) {
      const started = cpuMs();
      db.transaction(() => {
        for (let i = 0; i < CODES; i++) {
          const id = ids[(i * 919) % CODES] as string;
          const field = i % 2 === 0 ? "name" : "color";
          const hlc = hlcAt(n++);
          const seen = last.get(id + field) as string;
          const prev = JSON.stringify([seen]);
          if (layout === "beside") beside.run(id, field, hlc, prev);
          else if (layout !== "none") apart.run(hlc, id, field, prev);
          const changed = update.run(hlc, JSON.stringify(`v ${n}`), hlc, JSON.stringify([hlc]), seen, seen, id, field, prev, hlc).changes;
          if (changed !== 1) throw new Error("register-layout: the fast-path update missed");
          last.set(id + field, hlc);
        }
      })();
      pages.push(cpuMs() - started);
    }
    const warm = pages.slice(2).sort((a, b) => a - b);
    return warm[Math.floor(warm.length / 2)] as number; // ms per 1,000 sets = µs per set
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

for (let round = 0; round < 3; round++) {
  console.log(LAYOUTS.map((layout) => `${layout} ${usPerSet(layout).toFixed(2)} µs/set`).join("   "));
}
