import type * as Y from "yjs";
import { describe, expect, it } from "vitest";
import { makeOp } from "../testing/pure/op-builder.js";
import type { Op } from "../op/op.js";
import {
  canonicalState,
  codeAlias,
  encodeTextAnchors,
  getEntity,
  isLive,
  listConflicts,
  loadText,
  rebuild,
  segmentRange,
} from "./index.js";
import { at, ingest, openTestDb, R1, R2, textUpdate } from "../testing/materialiser-db.js";

const code = (id: string, ms: number, name = id): Op =>
  makeOp({ kind: "create", target: { type: "code", id }, body: { fields: { name } }, hlc: at(ms) });
const merge = (id: string, into: string, ms: number, replica = R1): Op =>
  makeOp({ kind: "merge", target: { type: "code", id }, body: { into }, hlc: at(ms, replica) });

describe("code merge", () => {
  it("segments of the merged code, including concurrent ones, resolve to the end of the alias chain", () => {
    const db = openTestDb();
    const seg = makeOp({
      kind: "create",
      target: { type: "segment", id: "s1" },
      body: { fields: { code: "a", source: "src", start: 0, end: 5 } },
      hlc: at(20, R2),
    });
    const src = makeOp({ kind: "create", target: { type: "source", id: "src" }, body: { fields: { name: "S", kind: "pdf" } }, hlc: at(1) });
    ingest(db, [code("a", 0), code("b", 2), code("c", 3), src, seg]);
    ingest(db, [merge("b", "c", 15), merge("a", "b", 10)]);
    expect(codeAlias(db, "a")).toBe("c");
    expect(getEntity(db, "segment", "s1")?.effectiveCode).toBe("c");
    expect(isLive(db, "code", "a")).toBe(false);
    expect(isLive(db, "segment", "s1")).toBe(true);
    expect(getEntity(db, "code", "a")?.mergedInto).toBe("b");
  });

  it("a merge into a code that aliases back, or into itself, is skipped", () => {
    const x = openTestDb();
    const ops = [code("a", 0), code("b", 1), merge("a", "b", 10), merge("b", "a", 11, R2), merge("b", "b", 12)];
    ingest(x, ops);
    expect(codeAlias(x, "a")).toBe("b");
    expect(codeAlias(x, "b")).toBe("b");
    expect(listConflicts(x).filter((c) => c.kind === "cycle-skipped")).toHaveLength(2);
    const y = openTestDb();
    ingest(y, [ops[0]!, ops[1]!, ops[3]!]);
    expect(codeAlias(y, "b")).toBe("a"); // until the earlier merge a -> b arrives
    ingest(y, [ops[4]!, ops[2]!]);
    expect(canonicalState(y)).toBe(canonicalState(x));
  });
});

describe("segments follow text edits", () => {
  function setupTextSource(): { db: ReturnType<typeof openTestDb>; ops: Array<Op> } {
    const db = openTestDb();
    const ops: Array<Op> = [
      code("k", 0),
      makeOp({ kind: "create", target: { type: "source", id: "src" }, body: { fields: { name: "Interview", kind: "text" } }, hlc: at(1) }),
    ];
    ingest(db, ops);
    const text = makeOp({
      kind: "text",
      target: { type: "source", id: "src" },
      body: { field: "content", update: textUpdate(db, "source", "src", "content", (t) => t.insert(0, "I felt angry today")) },
      hlc: at(2),
    });
    ingest(db, [text]);
    ops.push(text);
    const doc = loadText(db, "source", "src", "content");
    const anchors = encodeTextAnchors(doc, "content", 7, 12); // "angry"
    const seg = makeOp({
      kind: "create",
      target: { type: "segment", id: "s1" },
      body: { fields: { code: "k", source: "src", ...anchors } },
      hlc: at(3),
    });
    ingest(db, [seg]);
    ops.push(seg);
    return { db, ops };
  }

  const edit = (db: ReturnType<typeof openTestDb>, ms: number, replica: string, f: (t: Y.Text) => void): Op =>
    makeOp({
      kind: "text",
      target: { type: "source", id: "src" },
      body: { field: "content", update: textUpdate(db, "source", "src", "content", f) },
      hlc: at(ms, replica),
    });

  it("insertions before the segment shift it; typing at its edges stays outside", () => {
    const { db } = setupTextSource();
    expect(segmentRange(db, "s1")).toEqual({ start: 7, end: 12, collapsed: false });
    ingest(db, [edit(db, 10, R1, (t) => t.insert(0, "Well, "))]);
    expect(segmentRange(db, "s1")).toEqual({ start: 13, end: 18, collapsed: false });
    ingest(db, [edit(db, 11, R1, (t) => t.insert(18, "!"))]);
    expect(segmentRange(db, "s1")).toEqual({ start: 13, end: 18, collapsed: false });
  });

  it("a segment whose text is removed collapses and is reported; rebuild agrees", () => {
    const { db } = setupTextSource();
    ingest(db, [edit(db, 10, R1, (t) => t.delete(5, 9))]); // "I felt angry today" -> "I fel today"
    expect(segmentRange(db, "s1")?.collapsed).toBe(true);
    expect(listConflicts(db).map((c) => [c.kind, c.entity])).toEqual([["segment-text-removed", "s1"]]);
    const before = canonicalState(db);
    rebuild(db);
    expect(canonicalState(db)).toBe(before);
  });

  it("a segment is live only while it, its code and its source are live", () => {
    const { db } = setupTextSource();
    expect(isLive(db, "segment", "s1")).toBe(true);
    ingest(db, [makeOp({ kind: "delete", target: { type: "code", id: "k" }, body: {}, hlc: at(10) })]);
    expect(isLive(db, "segment", "s1")).toBe(false);
    ingest(db, [makeOp({ kind: "restore", target: { type: "code", id: "k" }, body: {}, hlc: at(11) })]);
    expect(isLive(db, "segment", "s1")).toBe(true);
    ingest(db, [makeOp({ kind: "delete", target: { type: "source", id: "src" }, body: {}, hlc: at(12) })]);
    expect(isLive(db, "segment", "s1")).toBe(false);
    // An edit to the deleted source is kept and shows on restore.
    ingest(db, [edit(db, 13, R2, (t) => t.insert(0, ">> "))]);
    ingest(db, [makeOp({ kind: "restore", target: { type: "source", id: "src" }, body: {}, hlc: at(14) })]);
    expect(isLive(db, "segment", "s1")).toBe(true);
    expect(getEntity(db, "source", "src")?.fields["content"]).toBe(">> I felt angry today");
    expect(segmentRange(db, "s1")).toEqual({ start: 10, end: 15, collapsed: false });
  });

  it("a segment whose text arrives after it (late text op) resolves once the text is there", () => {
    const { ops } = setupTextSource();
    const db = openTestDb();
    ingest(db, [ops[0]!, ops[1]!, ops[3]!]);
    expect(isLive(db, "segment", "s1")).toBe(false);
    expect(segmentRange(db, "s1")).toBeUndefined();
    ingest(db, [ops[2]!]);
    expect(segmentRange(db, "s1")).toEqual({ start: 7, end: 12, collapsed: false });
    expect(isLive(db, "segment", "s1")).toBe(true);
  });
});
