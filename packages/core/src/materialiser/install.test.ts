import type Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { makeOp } from "../testing/pure/op-builder.js";
import type { Op, SetOp } from "../op/op.js";
import { canonicalState, getEntity, installMaterialiser, listEntities, MATERIALISER_VERSION, rebuild, registerWriters } from "./index.js";
import { insertOps } from "../op-log/ops-table.js";
import { idsOfKeys, opIdOfKey } from "./register-keys.js";
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
  /**
   * Today's registers and write records as earlier versions stored them:
   * `old_registers` with op ids as text (versions 5 and 6), `old_writes`
   * one row per write with its prev as text (5, 6) or keys (7, 8).
   */
  function withOldRows(db: Database.Database): void {
    const text = (key: Buffer | null): string | null => (key === null ? null : opIdOfKey(key));
    db.function("op_id_text", text);
    db.function("ids_json", (keys: Buffer | null) => (keys === null ? null : JSON.stringify(idsOfKeys(keys))));
    db.function("prev_json", (key: Buffer | string) => JSON.stringify(typeof key === "string" ? JSON.parse(key) : idsOfKeys(key)));
    const writes = new Map([a, b].map((op) => [op.id, op]));
    db.function("register_json", (key: Buffer) => {
      const op = writes.get(opIdOfKey(key)) as SetOp;
      return JSON.stringify([op.target.type, op.target.id, op.body.field]);
    });
    db.exec(`CREATE TEMP TABLE old_registers AS SELECT type, id, field, value, op_id_text(hlc) AS hlc, ids_json(unseen) AS unseen,
        op_id_text(seen_max) AS seen_max, hlc AS hlc_key, unseen AS unseen_key, seen_max AS seen_max_key FROM m_registers;
      CREATE TEMP TABLE old_writes AS SELECT register_json(op_id) ->> 0 AS type, register_json(op_id) ->> 1 AS id,
        register_json(op_id) ->> 2 AS field, op_id_text(op_id) AS op_id, op_id AS op_key, seen,
        prev_json(coalesce(prev_key, seen)) AS prev_json, coalesce(prev_key, seen) AS prev_key, m_register_writes.prev_key AS first_key
        FROM m_register_writes WHERE first = 1;
      DROP TABLE m_registers; DROP TABLE m_register_writes;`);
  }
  function reopenedAsToday(db: Database.Database, before: string): void {
    installMaterialiser(db);
    expect(db.prepare("SELECT value FROM m_meta WHERE key = 'materialiser_version'").pluck().get()).toBe(String(MATERIALISER_VERSION));
    expect(db.prepare("SELECT count(*) FROM m_register_writes WHERE typeof(op_id) <> 'blob'").pluck().get()).toBe(0);
    expect(canonicalState(db)).toBe(before);
    expect(canonicalState(db)).toContain("concurrent-edit");
    expect(registerWriters(db, "code", "a", "name")).toEqual([a.id, b.id].sort());
  }

  it("a file at materialiser version 5 (write records keyed by register, op ids as text) opens at today's version with the heads and conflicts of a replay", () => {
    const db = openTestDb();
    ingest(db, [...ops, a, b]);
    const before = canonicalState(db);
    withOldRows(db);
    db.exec(`CREATE TABLE m_registers (type TEXT NOT NULL, id TEXT NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL, hlc TEXT NOT NULL,
        unseen TEXT, seen_max TEXT, PRIMARY KEY (type, id, field)) WITHOUT ROWID;
      INSERT INTO m_registers SELECT type, id, field, value, hlc, unseen, seen_max FROM old_registers;
      CREATE TABLE m_register_writes (type TEXT NOT NULL, id TEXT NOT NULL, field TEXT NOT NULL, prev_key TEXT NOT NULL,
        op_id TEXT NOT NULL, PRIMARY KEY (type, id, field, prev_key, op_id)) WITHOUT ROWID;
      INSERT INTO m_register_writes SELECT type, id, field, prev_json, op_id FROM old_writes;`);
    expect(db.prepare("SELECT count(*) FROM m_register_writes WHERE op_id = ?").pluck().get(a.id)).toBe(1);
    db.prepare("UPDATE m_meta SET value = '5' WHERE key = 'materialiser_version'").run();
    reopenedAsToday(db, before);
  });

  it("a file at materialiser version 7 (write records beside their register in m_registers, as keys) opens with today's tables and the state of a replay", () => {
    const db = openTestDb();
    ingest(db, [...ops, a, b]);
    const before = canonicalState(db);
    withOldRows(db);
    db.exec(`CREATE TABLE m_registers (type TEXT NOT NULL, id TEXT NOT NULL, field TEXT NOT NULL, is_register INTEGER NOT NULL,
        op_id BLOB NOT NULL, value TEXT, hlc BLOB, unseen BLOB, seen_max BLOB, prev_key BLOB,
        PRIMARY KEY (type, id, field, is_register, op_id)) WITHOUT ROWID;
      INSERT INTO m_registers SELECT type, id, field, 1, X'', value, hlc_key, unseen_key, seen_max_key, NULL FROM old_registers;
      INSERT INTO m_registers SELECT type, id, field, 0, op_key, NULL, NULL, NULL, NULL, prev_key FROM old_writes;`);
    expect(db.prepare("SELECT count(*) FROM m_registers WHERE is_register = 0").pluck().get()).toBe(2);
    db.prepare("UPDATE m_meta SET value = '7' WHERE key = 'materialiser_version'").run();
    reopenedAsToday(db, before);
    expect(db.prepare("SELECT count(*) FROM pragma_table_info('m_registers') WHERE name = 'is_register'").pluck().get()).toBe(0);
  });

  it("a file at materialiser version 8 (write records keyed by what they saw, with the register's type, id and field) opens with today's tables", () => {
    const db = openTestDb();
    ingest(db, [...ops, a, b]);
    const before = canonicalState(db);
    withOldRows(db);
    db.exec(`CREATE TABLE m_registers (type TEXT NOT NULL, id TEXT NOT NULL, field TEXT NOT NULL, value TEXT, hlc BLOB, unseen BLOB,
        seen_max BLOB, PRIMARY KEY (type, id, field)) WITHOUT ROWID;
      INSERT INTO m_registers SELECT type, id, field, value, hlc_key, unseen_key, seen_max_key FROM old_registers;
      CREATE TABLE m_register_writes (seen BLOB NOT NULL, op_id BLOB NOT NULL, type TEXT NOT NULL, id TEXT NOT NULL, field TEXT NOT NULL,
        first INTEGER NOT NULL, prev_key BLOB, PRIMARY KEY (seen, op_id)) WITHOUT ROWID;
      INSERT INTO m_register_writes SELECT seen, op_key, type, id, field, 1, first_key FROM old_writes;`);
    db.prepare("UPDATE m_meta SET value = '8' WHERE key = 'materialiser_version'").run();
    reopenedAsToday(db, before);
    expect(db.prepare("SELECT name FROM pragma_table_info('m_register_writes') ORDER BY cid").pluck().all()).toEqual([
      "seen",
      "op_id",
      "reg",
      "first",
      "prev_key",
    ]);
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
