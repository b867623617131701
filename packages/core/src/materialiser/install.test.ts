import type Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { makeOp } from "../testing/pure/op-builder.js";
import type { Op } from "../op/op.js";
import { canonicalState, getEntity, installMaterialiser, listEntities, MATERIALISER_VERSION, rebuild, registerWriters } from "./index.js";
import { insertOps } from "../op-log/ops-table.js";
import { idsOfKeys, idsOfPrevKey, opIdOfKey } from "./register-keys.js";
import { at, ingest, openTestDb } from "../testing/materialiser-db.js";

const ops: Array<Op> = [
  makeOp({ kind: "create", target: { type: "code", id: "a" }, body: { fields: { name: "A" } }, hlc: at(0) }),
  makeOp({ kind: "create", target: { type: "code", id: "b" }, body: { fields: { name: "B" } }, hlc: at(1) }),
  makeOp({ kind: "delete", target: { type: "code", id: "b" }, body: {}, hlc: at(2) }),
];

describe("installMaterialiser / rebuild / canonicalState", () => {
  it("install is idempotent and keeps the tables", () => {
    const db = openTestDb();
    ingest(db, ops);
    const before = canonicalState(db);
    installMaterialiser(db);
    expect(canonicalState(db)).toBe(before);
    expect(db.prepare("SELECT value FROM m_meta WHERE key = 'materialiser_version'").pluck().get()).toBe(String(MATERIALISER_VERSION));
  });

  // Two concurrent renames of code a: a register with two heads and a conflict.
  const code = { type: "code", id: "a" } as const;
  const a = makeOp({ kind: "set", target: code, body: { field: "name", value: "A1" }, hlc: at(10), prev: [ops[0]!.id] });
  const b = makeOp({ kind: "set", target: code, body: { field: "name", value: "A2" }, hlc: at(11), prev: [ops[0]!.id] });
  /** The register rows as text, each op id its HLC: versions 5 and 6 stored them so. */
  const textRegisters = `SELECT type, id, field, is_register, op_id_text(op_id) AS op_id, value, op_id_text(hlc) AS hlc,
    ids_json(unseen) AS unseen, op_id_text(seen_max) AS seen_max, prev_json(prev_key) AS prev_key FROM m_registers_now`;
  function withTextFunctions(db: Database.Database): void {
    const text = (key: Buffer | null): string | null => (key === null ? null : key.length === 0 ? "" : opIdOfKey(key));
    db.function("op_id_text", text);
    db.function("ids_json", (keys: Buffer | null) => (keys === null ? null : JSON.stringify(idsOfKeys(keys))));
    db.function("prev_json", (key: Buffer | string | null) => (key === null ? null : JSON.stringify(idsOfPrevKey(key))));
  }

  it("a file at materialiser version 5 (write records in m_register_writes) opens at today's version with the heads and conflicts of a replay", () => {
    const db = openTestDb();
    ingest(db, [...ops, a, b]);
    const before = canonicalState(db);
    withTextFunctions(db);
    // Version 5's layout: registers keyed by (type, id, field), their write records in a second table.
    db.exec(`ALTER TABLE m_registers RENAME TO m_registers_now;
      CREATE TABLE m_registers (type TEXT NOT NULL, id TEXT NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL, hlc TEXT NOT NULL,
        unseen TEXT, seen_max TEXT, PRIMARY KEY (type, id, field)) WITHOUT ROWID;
      INSERT INTO m_registers SELECT type, id, field, value, hlc, unseen, seen_max FROM (${textRegisters}) WHERE is_register = 1;
      CREATE TABLE m_register_writes (type TEXT NOT NULL, id TEXT NOT NULL, field TEXT NOT NULL, prev_key TEXT NOT NULL,
        op_id TEXT NOT NULL, PRIMARY KEY (type, id, field, prev_key, op_id)) WITHOUT ROWID;
      INSERT INTO m_register_writes SELECT type, id, field, prev_key, op_id FROM (${textRegisters}) WHERE is_register = 0;
      DROP TABLE m_registers_now;`);
    db.prepare("UPDATE m_meta SET value = '5' WHERE key = 'materialiser_version'").run();
    installMaterialiser(db);
    expect(db.prepare("SELECT value FROM m_meta WHERE key = 'materialiser_version'").pluck().get()).toBe(String(MATERIALISER_VERSION));
    expect(db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'm_register_writes'").pluck().get()).toBe(0);
    expect(canonicalState(db)).toBe(before);
    expect(canonicalState(db)).toContain("concurrent-edit");
    expect(registerWriters(db, "code", "a", "name")).toEqual([a.id, b.id].sort());
  });

  it("a file at materialiser version 6 (op ids as text in m_registers) opens with op ids as keys and the state of a replay", () => {
    const db = openTestDb();
    ingest(db, [...ops, a, b]);
    const before = canonicalState(db);
    withTextFunctions(db);
    db.exec(`ALTER TABLE m_registers RENAME TO m_registers_now;
      CREATE TABLE m_registers (type TEXT NOT NULL, id TEXT NOT NULL, field TEXT NOT NULL, is_register INTEGER NOT NULL,
        op_id TEXT NOT NULL, value TEXT, hlc TEXT, unseen TEXT, seen_max TEXT, prev_key TEXT,
        PRIMARY KEY (type, id, field, is_register, op_id)) WITHOUT ROWID;
      INSERT INTO m_registers ${textRegisters};
      DROP TABLE m_registers_now;`);
    expect(db.prepare("SELECT count(*) FROM m_registers WHERE typeof(op_id) = 'text' AND op_id = ?").pluck().get(a.id)).toBe(1);
    db.prepare("UPDATE m_meta SET value = '6' WHERE key = 'materialiser_version'").run();
    installMaterialiser(db);
    expect(db.prepare("SELECT value FROM m_meta WHERE key = 'materialiser_version'").pluck().get()).toBe(String(MATERIALISER_VERSION));
    expect(db.prepare("SELECT count(*) FROM m_registers WHERE typeof(op_id) <> 'blob' OR typeof(hlc) = 'text'").pluck().get()).toBe(0);
    expect(canonicalState(db)).toBe(before);
    expect(canonicalState(db)).toContain("concurrent-edit");
    expect(registerWriters(db, "code", "a", "name")).toEqual([a.id, b.id].sort());
  });

  it("a different stored materialiser_version recreates the tables and rebuilds them from ops", () => {
    const db = openTestDb();
    ingest(db, ops);
    const before = canonicalState(db);
    db.prepare("UPDATE m_meta SET value = '0' WHERE key = 'materialiser_version'").run();
    db.exec("DELETE FROM m_registers"); // an old layout's leftovers must not survive
    installMaterialiser(db);
    expect(canonicalState(db)).toBe(before);
    expect(getEntity(db, "code", "a")?.fields["name"]).toBe("A");
  });

  it("rebuild skips ops it does not understand (newer v, unknown kind) and keeps the rest", () => {
    const db = openTestDb();
    ingest(db, ops);
    const before = canonicalState(db);
    const future = { ...makeOp({ kind: "delete", target: { type: "code", id: "a" }, body: {}, hlc: at(5) }), kind: "archive" };
    const newer = { ...makeOp({ kind: "delete", target: { type: "code", id: "a" }, body: {}, hlc: at(6) }), v: 2 };
    insertOps(db, [future as unknown as Op, newer as unknown as Op]);
    rebuild(db);
    expect(canonicalState(db)).toBe(before);
    expect(listEntities(db, "code").map((e) => e.id)).toEqual(["a"]);
    expect(listEntities(db, "code", { includeDeleted: true }).map((e) => [e.id, e.deleted])).toEqual([
      ["a", false],
      ["b", true],
    ]);
  });

  it("canonicalState has no arrival-dependent columns: the same ops inserted in another order compare equal", () => {
    const x = openTestDb();
    ingest(x, ops);
    const y = openTestDb();
    for (const op of [...ops].reverse()) ingest(y, [op]);
    expect(canonicalState(y)).toBe(canonicalState(x));
    expect(canonicalState(x)).not.toContain('"seq"');
  });
});
