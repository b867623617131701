import { describe, expect, it } from "vitest";
import { makeOp } from "../testing/pure/op-builder.js";
import type { EntityType, Op } from "../op/op.js";
import type Database from "better-sqlite3";
import { canonicalState, listConflicts, listEntities, listLinks, rebuild } from "./index.js";
import { JSON_ROWS_CHUNK } from "./json-rows.js";
import { at, ingest, openTestDb, R1, R2 } from "../testing/materialiser-db.js";
import { opsAfter } from "../op-log/ops-store.js";

const c = "case-1";
const link = (source: string, ms: number, replica = R1): Op =>
  makeOp({ kind: "link", target: { type: "case", id: c }, body: { source }, hlc: at(ms, replica) });
const unlink = (adds: ReadonlyArray<string>, ms: number, replica = R1): Op =>
  makeOp({ kind: "unlink", target: { type: "case", id: c }, body: { adds }, hlc: at(ms, replica) });
const create = (type: EntityType, id: string, name: string, ms: number, extra: Record<string, string | null> = {}): Op =>
  makeOp({ kind: "create", target: { type, id }, body: { fields: { name, ...extra } }, hlc: at(ms) });
const rename = (type: EntityType, id: string, name: string, ms: number): Op =>
  makeOp({ kind: "set", target: { type, id }, body: { field: "name", value: name }, hlc: at(ms) });

describe("case-source links (add-wins set)", () => {
  it("an unlink removes only the adds it saw: a concurrent re-link survives", () => {
    const a1 = link("s1", 1);
    const a2 = link("s1", 5, R2); // concurrent with the unlink
    const u = unlink([a1.id], 6);
    const x = openTestDb();
    ingest(x, [a1, a2, u]);
    expect(listLinks(x)).toEqual([{ case: c, source: "s1", adds: [a2.id] }]);
    const y = openTestDb();
    ingest(y, [u, a2]);
    ingest(y, [a1]);
    expect(canonicalState(y)).toBe(canonicalState(x));
    ingest(x, [unlink([a2.id], 7)]);
    expect(listLinks(x)).toEqual([]);
  });
});

describe("duplicate names", () => {
  it("codes with the same trimmed, NFC, case-insensitive name conflict while both are live", () => {
    const db = openTestDb();
    ingest(db, [create("code", "a", "Café", 0), create("code", "b", "CAFE\u0301", 1), create("code", "c", "Other", 2)]);
    const dup = listConflicts(db);
    expect(dup.map((x) => [x.kind, x.detail])).toEqual([["duplicate-name", { name: "café", scope: null, entities: ["a", "b"] }]]);
    expect(listEntities(db, "code").map((e) => e.id)).toEqual(["a", "b", "c"]);
    ingest(db, [makeOp({ kind: "delete", target: { type: "code", id: "b" }, body: {}, hlc: at(3) })]);
    expect(listConflicts(db)).toEqual([]);
    ingest(db, [makeOp({ kind: "restore", target: { type: "code", id: "b" }, body: {}, hlc: at(4) })]);
    expect(listConflicts(db).map((x) => x.id)).toEqual(dup.map((x) => x.id));
    ingest(db, [rename("code", "c", "cafe\u0301", 5)]);
    expect(listConflicts(db)).toHaveLength(3);
  });

  it("categories conflict only under the same parent; a merged code stops conflicting", () => {
    const db = openTestDb();
    ingest(db, [
      create("category", "p", "P", 0),
      create("category", "x", "Same", 1, { parent: "p" }),
      create("category", "y", "Same", 2, { parent: null }),
      create("code", "k1", "K", 3),
      create("code", "k2", "K", 4),
    ]);
    expect(listConflicts(db).map((x) => x.entity)).toEqual(["k1"]);
    ingest(db, [makeOp({ kind: "move", target: { type: "category", id: "y" }, body: { parent: "p" }, hlc: at(5) })]);
    expect(
      listConflicts(db)
        .map((x) => x.entity)
        .sort(),
    ).toEqual(["k1", "x"]);
    ingest(db, [makeOp({ kind: "merge", target: { type: "code", id: "k1" }, body: { into: "k2" }, hlc: at(6) })]);
    expect(listConflicts(db).map((x) => x.entity)).toEqual(["x"]);
    // Deleting the parent moves both to the root (their nearest live ancestor): still duplicates.
    ingest(db, [makeOp({ kind: "delete", target: { type: "category", id: "p" }, body: {}, hlc: at(7) })]);
    expect(listConflicts(db).map((x) => x.entity)).toEqual(["x"]);
  });

  it("a pair renamed together into a new name keeps its conflict id and moves to the new group in one batch", () => {
    const db = openTestDb();
    ingest(db, [create("code", "a", "Old", 0), create("code", "b", "old", 1)]);
    const [before] = listConflicts(db);
    ingest(db, [rename("code", "a", "New", 2), rename("code", "b", "NEW", 3)]);
    const after = listConflicts(db);
    expect(after.map((x) => [x.id, x.detail])).toEqual([[before?.id, { name: "new", scope: null, entities: ["a", "b"] }]]);
    expect(canonicalState(db)).toBe(canonicalState(rebuilt(db)));
  });

  it("batches of 2, 4 and 6 name groups (one lookup per group up to four, one statement above) drop and find the same conflicts", () => {
    for (const pairs of [1, 2, 3]) {
      const db = openTestDb();
      const ids = (i: number): [string, string] => [`p${i}a`, `p${i}b`];
      const range = Array.from({ length: pairs }, (_, i) => i);
      ingest(
        db,
        range.flatMap((i) => ids(i).map((id, j) => create("code", id, `name ${i}`, 2 * i + j))),
      );
      expect(listConflicts(db)).toHaveLength(pairs);
      // Each pair's second code leaves its group for a new one: 2 × pairs groups, every conflict goes.
      ingest(
        db,
        range.map((i) => rename("code", ids(i)[1], `moved ${i}`, 100 + i)),
      );
      expect(listConflicts(db)).toEqual([]);
      // Each first code joins it there: every pair is a duplicate again, under the new name.
      ingest(
        db,
        range.map((i) => rename("code", ids(i)[0], `MOVED ${i}`, 200 + i)),
      );
      const found = listConflicts(db).map((x) => x.detail as { name: string });
      expect(found.sort((a, b) => (a.name < b.name ? -1 : 1))).toEqual(
        range.map((i) => ({ name: `moved ${i}`, scope: null, entities: ids(i) })),
      );
      expect(canonicalState(db)).toBe(canonicalState(rebuilt(db)));
    }
  });

  it("a batch touching more name groups than one statement chunk takes finds every duplicate and drops every stale one", () => {
    const n = JSON_ROWS_CHUNK + 500;
    const ids = Array.from({ length: n }, (_, i) => `k${String(i).padStart(5, "0")}`);
    const db = openTestDb();
    // Pairs (k0,k1), (k2,k3), ... share a name; the whole batch is one page of candidates.
    ingest(
      db,
      ids.map((id, i) => create("code", id, `name ${Math.floor(i / 2)}`, i)),
    );
    expect(listConflicts(db)).toHaveLength(n / 2);
    // Every odd code gets its own name: every conflict goes, in one batch.
    ingest(
      db,
      ids.flatMap((id, i) => (i % 2 === 1 ? [rename("code", id, `alone ${i}`, n + i)] : [])),
    );
    expect(listConflicts(db)).toEqual([]);
    // The first and last codes of the chunks meet under one name: pairs across chunk boundaries.
    ingest(db, [rename("code", ids[0]!, "meet", 3 * n), rename("code", ids[n - 1]!, "Meet", 3 * n + 1)]);
    expect(listConflicts(db).map((x) => x.detail)).toEqual([{ name: "meet", scope: null, entities: [ids[0], ids[n - 1]] }]);
    expect(canonicalState(db)).toBe(canonicalState(rebuilt(db)));
  });
});

/** A fresh replica with the same ops, applied in one batch (the rebuild's path). */
function rebuilt(db: Database.Database): Database.Database {
  const copy = openTestDb();
  ingest(copy, opsAfter(db));
  rebuild(copy);
  return copy;
}
