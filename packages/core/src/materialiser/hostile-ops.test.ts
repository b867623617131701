/**
 * Ops only a buggy or hostile peer sends (issue 7, items 1, 6, 7), applied
 * straight to the materialiser as if they were already in the log (stored
 * before the decoder refused them, or let through by a decoder bug): one
 * op's content never aborts its batch or breaks a read, wrong-type parents
 * count as never created, and anchors count only inside `content`.
 */
import fc from "fast-check";
import * as Y from "yjs";
import { describe, expect, it } from "vitest";
import { makeOp } from "../testing/pure/op-builder.js";
import type { Op } from "../op/op.js";
import { makeAnchorResolver, encodeTextAnchors } from "./anchors.js";
import { canonicalState, getEntity, listEntities, rebuild } from "./index.js";
import { assertLiveSegmentsSound, assertTreesAcyclic, randomArrival, referenceState, stateAfter } from "../testing/invariants.js";
import { at, ingest, openTestDb, R2, textUpdate } from "../testing/materialiser-db.js";

const numRuns = Number(process.env["QC_PROPERTY_RUNS"] ?? 200);

/** A text op carrying `update` as is, past the decoder (which would refuse it). */
function rawTextOp(ms: number, target: Op["target"], field: string, update: string, replica?: string): Op {
  const op = makeOp({ kind: "text", target, hlc: at(ms, replica) });
  return { ...op, body: { field, update } };
}

const unapplied = (db: ReturnType<typeof openTestDb>) => db.prepare("SELECT op_id, reason FROM m_unapplied ORDER BY op_id").all();

describe("a text update that is not a Yjs update (item 1)", () => {
  const code = { type: "code", id: "c" } as const;
  const create = makeOp({ target: code, body: { fields: { name: "Anger" } }, hlc: at(0) });
  const rename = makeOp({ kind: "set", target: code, body: { field: "name", value: "Rage" }, hlc: at(2) });

  it("as the field's first update: skipped with its reason, the rest of the batch applies, every read works, rebuild agrees", () => {
    const bad = rawTextOp(1, code, "memo", "AQID");
    const db = openTestDb();
    ingest(db, [create, bad, rename]);
    expect(getEntity(db, "code", "c")?.fields).toEqual({ name: "Rage", parent: null });
    expect(unapplied(db)).toEqual([
      { op_id: bad.id, reason: expect.stringMatching(/^not a Yjs text update: 2 structs at byte 1/) as unknown },
    ]);
    const state = canonicalState(db);
    rebuild(db);
    expect(canonicalState(db)).toBe(state);
  });

  it("after good updates: the good text stays and later edits still merge", () => {
    const db = openTestDb();
    ingest(db, [create]);
    const hello = makeOp({
      kind: "text",
      target: code,
      body: { field: "memo", update: textUpdate(db, "code", "c", "memo", (t) => t.insert(0, "hello")) },
      hlc: at(1),
    });
    ingest(db, [hello]);
    const more = makeOp({
      kind: "text",
      target: code,
      body: { field: "memo", update: textUpdate(db, "code", "c", "memo", (t) => t.insert(5, "!")) },
      hlc: at(4),
    });
    ingest(db, [rawTextOp(3, code, "memo", "//79/w=="), more]);
    expect(getEntity(db, "code", "c")?.fields["memo"]).toBe("hello!");
    expect(unapplied(db)).toHaveLength(1);
  });

  it("random byte strings as text updates never throw, never break a read, and give one state whatever the arrival", () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 1, maxLength: 40 }), { minLength: 1, maxLength: 5 }),
        fc.integer(),
        (garbage, seed) => {
          const base = openTestDb();
          ingest(base, [create]);
          const good = makeOp({
            kind: "text",
            target: code,
            body: { field: "memo", update: textUpdate(base, "code", "c", "memo", (t) => t.insert(0, "kept")) },
            hlc: at(1),
          });
          base.close();
          const bad = garbage.map((bytes, i) => rawTextOp(10 + i, code, "memo", Buffer.from(bytes).toString("base64"), R2));
          const ops = [create, good, rename, ...bad];
          const reference = referenceState(ops);
          expect(stateAfter(randomArrival(ops, seed))).toBe(reference);
          const db = openTestDb();
          for (const batch of randomArrival(ops, seed)) ingest(db, batch);
          expect(getEntity(db, "code", "c")?.fields["name"]).toBe("Rage");
          expect(getEntity(db, "code", "c")?.fields["memo"]).toMatch(/kept/);
          expect(listEntities(db, "code")).toHaveLength(1);
          db.close();
        },
      ),
      { numRuns },
    );
  });
});

describe("references of the wrong type count as never created (item 6)", () => {
  it("a code named as a code's or a category's parent is skipped to the next live category", () => {
    const ops: Array<Op> = [
      makeOp({ target: { type: "category", id: "top" }, body: { fields: { name: "Top" } }, hlc: at(0) }),
      makeOp({ target: { type: "code", id: "c1" }, body: { fields: { name: "C1", parent: "top" } }, hlc: at(1) }),
      makeOp({ target: { type: "code", id: "c2" }, body: { fields: { name: "C2", parent: "c1" } }, hlc: at(2) }),
      makeOp({ target: { type: "category", id: "k" }, body: { fields: { name: "K" } }, hlc: at(3) }),
      makeOp({ kind: "move", target: { type: "category", id: "k" }, body: { parent: "c2" }, hlc: at(4) }),
    ];
    const db = openTestDb();
    ingest(db, ops);
    expect(getEntity(db, "code", "c2")?.effectiveParent).toBe("top");
    expect(getEntity(db, "category", "k")?.effectiveParent).toBe("top");
    expect(getEntity(db, "category", "k")?.parent).toBe("c2");
    assertTreesAcyclic(db);
    expect(stateAfter(ops.map((op) => [op]).reverse())).toBe(referenceState(ops));
  });

  it("a source named as a folder's parent is skipped (folder tree); a rebuild agrees", () => {
    const ops: Array<Op> = [
      makeOp({ target: { type: "folder", id: "f" }, body: { fields: { name: "F" } }, hlc: at(0) }),
      makeOp({ target: { type: "source", id: "s" }, body: { fields: { name: "S", kind: "text", parent: "f" } }, hlc: at(1) }),
      makeOp({ target: { type: "folder", id: "g" }, body: { fields: { name: "G", parent: "s" } }, hlc: at(2) }),
      makeOp({ target: { type: "source", id: "t" }, body: { fields: { name: "T", kind: "text", parent: "s" } }, hlc: at(3) }),
    ];
    const db = openTestDb();
    ingest(db, ops);
    expect(getEntity(db, "folder", "g")?.effectiveParent).toBe("f");
    expect(getEntity(db, "source", "t")?.effectiveParent).toBe("f");
    assertTreesAcyclic(db);
    const state = canonicalState(db);
    rebuild(db);
    expect(canonicalState(db)).toBe(state);
  });
});

describe("anchors count only inside the source's content (item 7)", () => {
  it("the resolver refuses an anchor into another root of the doc", () => {
    const doc = new Y.Doc();
    doc.getText("content").insert(0, "abc");
    doc.getText("memo").insert(0, "a much longer text in another root");
    const inside = encodeTextAnchors(doc, "content", 1, 2);
    const outside = encodeTextAnchors(doc, "memo", 10, 20);
    const resolve = makeAnchorResolver(doc, "content");
    expect([resolve(inside.start), resolve(inside.end)]).toEqual([1, 2]);
    expect([resolve(outside.start), resolve(outside.end)]).toEqual([undefined, undefined]);
    doc.destroy();
  });

  it("a segment anchored into text a hostile op wrote to another root is not live", () => {
    const source = { type: "source", id: "src" } as const;
    const doc = new Y.Doc();
    doc.clientID = 9;
    doc.getText("content").insert(0, "short");
    const legit = Buffer.from(Y.encodeStateAsUpdate(doc)).toString("base64");
    const sv = Y.encodeStateVector(doc);
    doc.getText("elsewhere").insert(0, "a text far longer than the source's content");
    const hostile = Buffer.from(Y.encodeStateAsUpdate(doc, sv)).toString("base64");
    const anchors = encodeTextAnchors(doc, "elsewhere", 20, 30);
    const inContent = encodeTextAnchors(doc, "content", 1, 3);
    doc.destroy();
    const ops: Array<Op> = [
      makeOp({ target: source, body: { fields: { name: "S", kind: "text" } }, hlc: at(0) }),
      makeOp({ target: { type: "code", id: "c" }, body: { fields: { name: "C" } }, hlc: at(1) }),
      makeOp({ kind: "text", target: source, body: { field: "content", update: legit }, hlc: at(2) }),
      rawTextOp(3, source, "content", hostile),
      makeOp({ target: { type: "segment", id: "seg" }, body: { fields: { code: "c", source: "src", ...anchors } }, hlc: at(4) }),
      makeOp({ target: { type: "segment", id: "ok" }, body: { fields: { code: "c", source: "src", ...inContent } }, hlc: at(5) }),
    ];
    const db = openTestDb();
    ingest(db, ops);
    expect(getEntity(db, "source", "src")?.fields["content"]).toBe("short");
    expect(getEntity(db, "segment", "seg")?.live).toBe(false);
    expect(getEntity(db, "segment", "ok")).toMatchObject({ live: true, range: { start: 1, end: 3 } });
    assertLiveSegmentsSound(db);
  });
});
