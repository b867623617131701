import { describe, expect, it, vi } from "vitest";
import { makeOp } from "../testing/pure/op-builder.js";
import { canonicalState, listConflicts, registerWriters, rebuild } from "./index.js";
import { at, ingest, openTestDb, R1, R2 } from "../testing/materialiser-db.js";
import type * as RegisterKeys from "./register-keys.js";

// Every register shares one tag here: the worst a hostile peer could arrange
// (docs/decisions/0029). Records a tag matches must be confirmed against
// their ops, so writes of different registers never pair or hide each other.
vi.mock("./register-keys.js", async (importOriginal) => ({
  ...(await importOriginal<typeof RegisterKeys>()),
  registerTag: () => 1,
}));

const code = { type: "code", id: "code-a" } as const;
const create = makeOp({ kind: "create", target: code, body: { fields: { name: "Anger", color: "#ff0000" } }, hlc: at(0) });
const set = (ms: number, replica: string, field: string, value: string, prev: ReadonlyArray<string>) =>
  makeOp({ kind: "set", target: code, body: { field, value }, hlc: at(ms, replica), prev });

describe("register tags that collide", () => {
  it("writes of two registers with the same prev are no concurrent edit; two of one register are, incrementally and on rebuild", () => {
    const colour = set(10, R1, "color", "#00ff00", [create.id]);
    const name = set(11, R2, "name", "Rage", [create.id]);
    const colourToo = set(12, R2, "color", "#0000ff", [create.id]);
    const db = openTestDb();
    ingest(db, [create, colour, name]);
    expect(listConflicts(db)).toEqual([]);
    ingest(db, [colourToo]);
    const conflicts = () => listConflicts(db).map((c) => [c.kind, (c.detail as { field: string }).field]);
    expect(conflicts()).toEqual([["concurrent-edit", "color"]]);
    const before = canonicalState(db);
    rebuild(db);
    expect(conflicts()).toEqual([["concurrent-edit", "color"]]);
    expect(canonicalState(db)).toBe(before);
  });

  it("a late write listed only by another register's write stays a head", () => {
    const late = set(10, R1, "color", "#00ff00", [create.id]);
    // A prev may name any op (a hostile or confused peer): this name write lists the colour write.
    const name = set(20, R2, "name", "Rage", [create.id, late.id]);
    // A colour write that saw ops up to the name write, so the late one must ask who listed it.
    const colour = set(30, R1, "color", "#333333", [create.id, name.id]);
    const db = openTestDb();
    ingest(db, [create, name, colour]);
    ingest(db, [late]);
    const heads = [late.id, colour.id].sort();
    expect(registerWriters(db, "code", "code-a", "color")).toEqual(heads);
    expect(registerWriters(db, "code", "code-a", "name")).toEqual([name.id]);
    rebuild(db);
    expect(registerWriters(db, "code", "code-a", "color")).toEqual(heads);
  });
});
