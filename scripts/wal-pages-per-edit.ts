/**
 * Pages each B-tree dirties per single-edit commit (a rename, a recolour),
 * read from the WAL: the frames one commit appends, each frame's page
 * mapped to its table or index through dbstat. Docs/decisions/0021.
 *
 *   wal-pages-per-edit.ts <codes> <edits> <dir>
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createReplica } from "@qc/core";
import { replicaDb } from "@qc/core/testing";

const [codes = 10_000, edits = 200] = process.argv.slice(2, 4).map(Number);
const dir = process.argv[4] ?? ".";
const file = join(dir, "wal-pages.sqlite");
const replica = createReplica(file, { actor: "ana", projectName: "WAL pages" });
const db = replicaDb(replica);
const ids: string[] = [];
for (let from = 0; from < codes; from += 1000)
  replica.commands.batch((c) => {
    for (let i = from; i < Math.min(from + 1000, codes); i++) ids.push(c.createCode({ name: `code ${i}`, color: "#336699" }));
  });
// Each code renamed once already, so a rename meets a register with history.
replica.commands.batch((c) => ids.forEach((id, i) => c.rename("code", id, `code ${i} b`)));

const pageSize = db.pragma("page_size", { simple: true }) as number;
function framesOf(edit: () => void): Array<number> {
  db.pragma("wal_checkpoint(TRUNCATE)");
  edit();
  const wal = readFileSync(`${file}-wal`);
  const pages: number[] = [];
  for (let at = 32; at + 24 <= wal.length; at += 24 + pageSize) pages.push(wal.readUInt32BE(at));
  return pages;
}
const owner = new Map<number, string>();
const tally = (label: string, edit: (i: number) => void): void => {
  const perTree = new Map<string, number>();
  let frames = 0;
  for (let i = 0; i < edits; i++) {
    const pages = framesOf(() => edit(i));
    frames += pages.length;
    if (owner.size === 0 || pages.some((p) => !owner.has(p))) {
      owner.clear();
      for (const row of db.prepare("SELECT pageno, name FROM dbstat").all() as Array<{ pageno: number; name: string }>)
        owner.set(row.pageno, row.name);
    }
    for (const p of new Set(pages)) perTree.set(owner.get(p) ?? "(free/header)", (perTree.get(owner.get(p) ?? "(free/header)") ?? 0) + 1);
  }
  console.log(`${label}: ${(frames / edits).toFixed(2)} WAL frames per commit (${((frames / edits) * (pageSize + 24)) / 1024} KiB)`);
  for (const [tree, n] of [...perTree].sort((a, b) => b[1] - a[1])) console.log(`  ${tree.padEnd(28)} ${(n / edits).toFixed(2)}`);
};
// Twice over the same codes: the first edit of a register with no recorded
// write (a colour) grows rows in pages packed full by the batched creates.
for (const round of ["first", "second"]) {
  tally(`rename (${round} pass)`, (i) => replica.commands.rename("code", ids[(i * 7919) % codes] as string, `code ${i} ${round}`));
  tally(`recolour (${round} pass)`, (i) =>
    replica.commands.recolour("code", ids[(i * 7919) % codes] as string, round === "first" ? "#112233" : "#445566"),
  );
}
replica.close();
