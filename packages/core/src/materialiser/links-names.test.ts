import { describe, expect, it } from "vitest";
import { makeOp } from "../testing/pure/op-builder.js";
import type { EntityType, Op } from "../op/op.js";
import { canonicalState, listConflicts, listEntities, listLinks } from "./index.js";
import { at, ingest, openTestDb, R1, R2 } from "../testing/materialiser-db.js";

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
});
