import { afterEach, describe, expect, it } from "vitest";
import type { Op } from "../../op/op.js";
import { createReplica, type Replica } from "../../replica.js";
import * as Y from "yjs";
import { expectCommandRefused } from "../../testing/expect-refused.js";
import { yjsClientId } from "../read.js";

const T = Date.UTC(2026, 10, 25, 9, 0, 0);
let open: Array<Replica> = [];
afterEach(() => {
  for (const r of open) r.close();
  open = [];
});

/** Alice's replica of a new project; `peer` opens Bob's replica of it, caught up. */
function alice(): Replica {
  const r = createReplica(":memory:", { actor: "alice", projectName: "Study", replica: "000000000000000a", clock: tick(0) });
  open.push(r);
  return r;
}

function peer(of: Replica, actor = "bob"): Replica {
  const r = createReplica(":memory:", { actor, project: of.project, replica: "000000000000000b", clock: tick(1) });
  open.push(r);
  exchange(of, r);
  return r;
}

/**
 * A wall clock that stands still until `later()`: a command's ops are
 * stamped in one millisecond, as they are in practice, and HLCs are
 * reproducible.
 */
let wall = T;
function tick(offset: number): () => number {
  return () => wall + offset;
}

function later(): void {
  wall += 1000;
}

function exchange(...replicas: ReadonlyArray<Replica>): void {
  later();
  for (const from of replicas) for (const to of replicas) if (from !== to) to.sync.ingest(from.sync.opsAfter());
}

function lastOp(r: Replica): Op {
  const ops = r.sync.opsAfter();
  return ops[ops.length - 1]!;
}

const text = (r: Replica, source: string): unknown => r.read.entity("source", source)?.fields["content"];

describe("undo of a register", () => {
  it("puts back the value before the op; undoing the undo redoes it; a second undo is refused", () => {
    const r = alice();
    const code = r.commands.createCode({ name: "Hope", color: "#aa0000" });
    r.commands.rename("code", code, "Hopefulness");
    const rename = lastOp(r);
    const result = r.commands.undo(rename.id);
    expect(r.read.entity("code", code)?.fields["name"]).toBe("Hope");
    const compensating = lastOp(r);
    expect(result).toEqual({ undone: [rename.id], ops: [compensating.id] });
    expect(compensating).toMatchObject({ kind: "set", undoes: rename.id, body: { field: "name", value: "Hope" }, prev: [rename.id] });
    expectCommandRefused(r, () => r.commands.undo(rename.id), "already-undone", new RegExp(`undo ${compensating.id} to redo it`));
    r.commands.undo(compensating.id);
    expect(r.read.entity("code", code)?.fields["name"]).toBe("Hopefulness");
    expect(r.read.conflicts()).toEqual([]);
  });

  it("refuses to undo a write someone overwrote since, unless forced", () => {
    const a = alice();
    const code = a.commands.createCode({ name: "Hope", color: "#aa0000" });
    a.commands.recolour("code", code, "#00aa00");
    const mine = lastOp(a);
    const b = peer(a);
    b.commands.recolour("code", code, "#0000aa");
    exchange(a, b);
    expectCommandRefused(a, () => a.commands.undo(mine.id), "superseded", /overwritten by later edits \(the set of code .* by bob .*force/);
    a.commands.undo(mine.id, { force: true });
    exchange(a, b);
    expect(a.read.entity("code", code)?.fields["color"]).toBe("#aa0000");
    expect(b.read.canonicalState()).toBe(a.read.canonicalState());
  });

  it("undoLast walks back through several writes of one register", () => {
    const r = alice();
    const code = r.commands.createCode({ name: "Hope", color: "#aa0000" });
    r.commands.rename("code", code, "B");
    r.commands.rename("code", code, "C");
    const result = r.commands.undoLast(2);
    expect(result.undone).toHaveLength(2);
    expect(r.read.entity("code", code)?.fields["name"]).toBe("Hope");
    r.commands.undoLast(1); // the create
    expect(r.read.entity("code", code)?.live).toBe(false);
    expectCommandRefused(r, () => r.commands.undoLast(1), "not-found", /alice has no edit left to undo/);
  });

  it("clears an attribute value that had none before", () => {
    const r = alice();
    const source = r.commands.importTextSource({ name: "Interview", text: "Hi" });
    const age = r.commands.createAttribute({ name: "Age", valueType: "number", appliesTo: "source" });
    r.commands.setAttributeValue({ target: { type: "source", id: source }, attribute: age, value: 41 });
    r.commands.undoLast(1);
    expect(r.read.entity("source", source)?.fields[`attr:${age}`]).toBeNull();
  });
});

describe("undo of lifecycle ops", () => {
  it("a create is undone by a delete, a delete by a restore, a restore by a delete", () => {
    const r = alice();
    const code = r.commands.createCode({ name: "Hope", color: "#aa0000" });
    const create = lastOp(r);
    r.commands.undo(create.id);
    expect(lastOp(r)).toMatchObject({ kind: "delete", undoes: create.id });
    expect(r.read.entity("code", code)?.live).toBe(false);
    r.commands.undo(lastOp(r).id);
    expect(lastOp(r).kind).toBe("restore");
    expect(r.read.entity("code", code)?.live).toBe(true);
    r.commands.remove("code", code);
    r.commands.undoLast(1);
    expect(r.read.entity("code", code)?.live).toBe(true);
    r.commands.remove("code", code);
    r.commands.restore("code", code);
    r.commands.undoLast(1);
    expect(r.read.entity("code", code)?.deleted).toBe(true);
  });

  it("undoLast undoes a whole source import (its create and its text) as one edit", () => {
    const r = alice();
    const source = r.commands.importTextSource({ name: "Interview", text: "x".repeat(90_000) });
    expect(r.sync.opsAfter().filter((o) => o.target.id === source)).toHaveLength(4); // create + 3 text chunks
    const result = r.commands.undoLast(1);
    expect(result.undone).toHaveLength(1);
    expect(r.read.entity("source", source)?.live).toBe(false);
    r.commands.undo(result.ops[0]!);
    expect(text(r, source)).toBe("x".repeat(90_000));
  });
});

describe("undo of moves and merges", () => {
  it("a move goes back to the parent before it; a later move makes it overwritten", () => {
    const r = alice();
    const feelings = r.commands.createCategory({ name: "Feelings", color: "#aa0000" });
    const other = r.commands.createCategory({ name: "Other", color: "#aa0000" });
    const code = r.commands.createCode({ name: "Hope", color: "#aa0000", parent: feelings });
    r.commands.move("code", code, other);
    const move = lastOp(r);
    r.commands.move("code", code, null);
    expectCommandRefused(r, () => r.commands.undo(move.id), "superseded", /overwritten/);
    r.commands.undoLast(2);
    expect(r.read.entity("code", code)?.parent).toBe(feelings);
  });

  it("refuses to move a node back under what is now inside it", () => {
    const r = alice();
    const a = r.commands.createCategory({ name: "A", color: "#aa0000" });
    const b = r.commands.createCategory({ name: "B", color: "#aa0000", parent: a });
    r.commands.move("category", b, null);
    const move = lastOp(r);
    r.commands.move("category", a, b);
    expectCommandRefused(r, () => r.commands.undo(move.id, { force: true }), "would-create-cycle", /inside it/);
  });

  it("a merge is split again: the code is live and its segments count for it, not for the code it was merged into", () => {
    const r = alice();
    const source = r.commands.importTextSource({ name: "Interview", text: "I hope so, I fear not" });
    const hope = r.commands.createCode({ name: "Hope", color: "#aa0000" });
    const wish = r.commands.createCode({ name: "Wish", color: "#aa0000" });
    const segment = r.commands.codeSegment({ code: hope, source, start: 2, end: 6 });
    r.commands.mergeCodes(hope, wish);
    const merge = lastOp(r);
    expect(r.read.entity("segment", segment)?.effectiveCode).toBe(wish);
    r.commands.undo(merge.id);
    expect(lastOp(r)).toMatchObject({ kind: "merge", body: { into: null }, undoes: merge.id });
    expect(r.read.entity("code", hope)).toMatchObject({ live: true, mergedInto: null });
    expect(r.read.entity("segment", segment)?.effectiveCode).toBe(hope);
    r.commands.undo(lastOp(r).id);
    expect(r.read.entity("segment", segment)?.effectiveCode).toBe(wish);
    expect(r.read.verify().ok).toBe(true);
  });

  it("refuses a move that was skipped for closing a loop: it changed nothing", () => {
    const a = alice();
    const x = a.commands.createCategory({ name: "X", color: "#aa0000" });
    const y = a.commands.createCategory({ name: "Y", color: "#aa0000" });
    const b = peer(a);
    a.commands.move("category", x, y);
    b.commands.move("category", y, x);
    exchange(a, b);
    const skipped = a.read.conflicts().find((c) => c.kind === "cycle-skipped");
    const opId = (skipped?.detail as { op: string }).op;
    expectCommandRefused(a, () => a.commands.undo(opId), "not-undoable", /skipped/);
  });
});

describe("undo of text ops", () => {
  it("removes the op's insertion and keeps a later insertion by someone else", () => {
    const a = alice();
    const source = a.commands.importTextSource({ name: "Interview", text: "Hello world" });
    a.commands.editSourceText(source, { insert: " big", at: 5 });
    const insert = lastOp(a);
    const b = peer(a);
    b.commands.editSourceText(source, { insert: "!", at: 15 });
    b.commands.editSourceText(source, { insert: "Oh, ", at: 0 });
    exchange(a, b);
    expect(text(a, source)).toBe("Oh, Hello big world!");
    a.commands.undo(insert.id);
    exchange(a, b);
    expect(text(a, source)).toBe("Oh, Hello world!");
    expect(text(b, source)).toBe("Oh, Hello world!");
  });

  it("restores what the op deleted at its place, and only that (not older deletions)", () => {
    const r = alice();
    const source = r.commands.importTextSource({ name: "Interview", text: "abcdef" });
    r.commands.editSourceText(source, { delete: 1, at: 0 }); // bcdef
    r.commands.editSourceText(source, { delete: 2, at: 2 }); // bcf
    const second = lastOp(r);
    r.commands.editSourceText(source, { insert: "X", at: 3 }); // bcfX
    r.commands.undo(second.id);
    expect(text(r, source)).toBe("bcdefX");
    const restore = lastOp(r);
    const structs = restore.kind === "text" ? Y.decodeUpdate(Buffer.from(restore.body.update, "base64")).structs : [];
    expect(structs.map((st) => st.id.client)).toEqual([yjsClientId("000000000000000a")]); // the replica's own Yjs id, not a random one
    r.commands.undo(lastOp(r).id); // redo
    expect(text(r, source)).toBe("bcfX");
    expect(r.read.verify().ok).toBe(true);
  });

  it("a replace is one edit for undoLast", () => {
    const r = alice();
    const source = r.commands.importTextSource({ name: "Interview", text: "I hope so" });
    later();
    r.commands.editSourceText(source, { replace: "fear", from: 2, to: 6 });
    expect(text(r, source)).toBe("I fear so");
    const result = r.commands.undoLast(1);
    expect(result.undone).toHaveLength(2);
    expect(text(r, source)).toBe("I hope so");
  });

  it("says so when someone removed all the text the op inserted", () => {
    const a = alice();
    const source = a.commands.importTextSource({ name: "Interview", text: "Hello" });
    a.commands.editSourceText(source, { insert: " there", at: 5 });
    const insert = lastOp(a);
    const b = peer(a);
    b.commands.editSourceText(source, { delete: 6, at: 5 });
    exchange(a, b);
    expectCommandRefused(a, () => a.commands.undo(insert.id, { force: true }), "superseded", /nothing left to undo/);
  });

  it("refuses to bring back a deletion too large for one op, writing nothing", () => {
    const r = alice();
    const source = r.commands.importTextSource({ name: "Interview", text: "x".repeat(200_000) });
    later();
    r.commands.editSourceText(source, { delete: 200_000, at: 0 });
    expectCommandRefused(r, () => r.commands.undoLast(1), "not-undoable", /more text than one op can bring back/);
  });

  it("a memo edit is undone the same way", () => {
    const r = alice();
    const code = r.commands.createCode({ name: "Hope", color: "#aa0000" });
    r.commands.editMemo("code", code, { insert: "About hope", at: 0 });
    r.commands.editMemo("code", code, { delete: 6, at: 0 });
    r.commands.undo(lastOp(r).id);
    expect(r.read.entity("code", code)?.fields["memo"]).toBe("About hope");
  });

  it("a segment on text that an undo removed collapses, and stays collapsed after the redo (Yjs never revives a character)", () => {
    const r = alice();
    const source = r.commands.importTextSource({ name: "Interview", text: "ab" });
    r.commands.editSourceText(source, { insert: "hope", at: 1 });
    const insert = lastOp(r);
    const code = r.commands.createCode({ name: "Hope", color: "#aa0000" });
    const segment = r.commands.codeSegment({ code, source, start: 1, end: 5 });
    r.commands.undo(insert.id);
    expect(r.read.entity("segment", segment)?.range).toEqual({ start: 1, end: 1, collapsed: true });
    r.commands.undo(lastOp(r).id);
    expect(text(r, source)).toBe("ahopeb");
    expect(r.read.entity("segment", segment)?.range?.collapsed).toBe(true);
    expect(r.read.conflicts().map((c) => c.kind)).toEqual(["segment-text-removed"]);
  });
});

describe("undo of links", () => {
  it("undo of a link unlinks it, undo of an unlink links again, and undoLast(2) of both leaves it unlinked", () => {
    const r = alice();
    const source = r.commands.importTextSource({ name: "Interview", text: "Hi" });
    const kase = r.commands.createCase({ name: "Ann" });
    r.commands.linkSource(kase, source);
    const link = lastOp(r);
    r.commands.undo(link.id);
    expect(r.read.links(kase)).toEqual([]);
    r.commands.undo(lastOp(r).id);
    expect(r.read.links(kase).map((l) => l.source)).toEqual([source]);
    r.commands.unlinkSource(kase, source);
    r.commands.undoLast(1);
    expect(r.read.links(kase).map((l) => l.source)).toEqual([source]);
    r.commands.unlinkSource(kase, source);
    const fresh = createReplica(":memory:", { actor: "carol", projectName: "Other" });
    open.push(fresh);
    const other = fresh.commands.importTextSource({ name: "S", text: "x" });
    const otherCase = fresh.commands.createCase({ name: "C" });
    fresh.commands.linkSource(otherCase, other);
    fresh.commands.unlinkSource(otherCase, other);
    fresh.commands.undoLast(2);
    expect(fresh.read.links(otherCase)).toEqual([]);
  });

  it("undo of a link keeps a link of the same pair someone else added", () => {
    const a = alice();
    const source = a.commands.importTextSource({ name: "Interview", text: "Hi" });
    const kase = a.commands.createCase({ name: "Ann" });
    const b = peer(a);
    a.commands.linkSource(kase, source);
    b.commands.linkSource(kase, source);
    exchange(a, b);
    a.commands.undoLast(1);
    exchange(a, b);
    expect(b.read.links(kase)).toHaveLength(1);
    expect(a.read.links(kase)[0]?.adds).toEqual([b.sync.opsAfter().find((o) => o.kind === "link" && o.actor === "bob")?.id]);
  });
});

describe("refusals", () => {
  it("unknown op, a resolve, bad counts", () => {
    const a = alice();
    expectCommandRefused(a, () => a.commands.undo("no-such-op"), "not-found", /no op with id "no-such-op"/);
    expectCommandRefused(a, () => a.commands.undoLast(0), "invalid-value", /at least 1/);
    expectCommandRefused(a, () => a.commands.undoLast(1.5), "invalid-value", /whole number/);
    expectCommandRefused(a, () => a.commands.undoLast(1), "not-found", /no edit left/);
    expectCommandRefused(a, () => a.commands.undo(a.sync.opsAfter()[0]!.id), "not-undoable", /project's own creation/);
    a.commands.createCode({ name: "Hope", color: "#aa0000" });
    a.commands.createCode({ name: "hope", color: "#aa0000" });
    a.commands.resolveConflict(a.read.conflicts()[0]!.id);
    expectCommandRefused(a, () => a.commands.undo(lastOp(a).id), "not-undoable", /resolved conflict stays resolved/);
  });

  it("undoLast is all or nothing: an overwritten edit among the last n stops it", () => {
    const a = alice();
    const code = a.commands.createCode({ name: "Hope", color: "#aa0000" });
    a.commands.rename("code", code, "Hoping");
    const b = peer(a);
    b.commands.rename("code", code, "Wish");
    exchange(a, b);
    a.commands.recolour("code", code, "#00aa00");
    expectCommandRefused(a, () => a.commands.undoLast(2), "superseded", /by bob/);
    a.commands.undoLast(2, { force: true });
    expect(a.read.entity("code", code)?.fields).toMatchObject({ name: "Hope", color: "#aa0000" });
  });
});
