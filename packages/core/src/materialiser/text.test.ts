import * as Y from "yjs";
import { describe, expect, it } from "vitest";
import { makeOp } from "../testing/pure/op-builder.js";
import type { Op } from "../op/op.js";
import { canonicalState, getEntity, loadText, rebuild } from "./index.js";
import { at, ingest, openTestDb, R1, R2, textUpdate } from "../testing/materialiser-db.js";

const memo = { type: "code", id: "code-a" } as const;

function textOp(ms: number, replica: string, update: string): Op {
  return makeOp({ kind: "text", target: memo, body: { field: "memo", update }, hlc: at(ms, replica) });
}

describe("text fields (union of Yjs updates)", () => {
  it("concurrent edits merge character-wise in any arrival order", () => {
    const base = openTestDb();
    const create = makeOp({ kind: "create", target: memo, body: { fields: { name: "A" } }, hlc: at(0) });
    const t0 = textOp(
      1,
      R1,
      textUpdate(base, "code", "code-a", "memo", (t) => t.insert(0, "hello")),
    );
    ingest(base, [create, t0]);
    // Two replicas edit the same state concurrently.
    const t1 = textOp(
      2,
      R1,
      textUpdate(base, "code", "code-a", "memo", (t) => t.insert(0, "Oh, ")),
    );
    const t2 = textOp(
      3,
      R2,
      textUpdate(base, "code", "code-a", "memo", (t) => t.insert(5, " world")),
    );
    const x = openTestDb();
    ingest(x, [create, t0, t1, t2]);
    const y = openTestDb();
    ingest(y, [t2]);
    ingest(y, [t1, t0]);
    ingest(y, [create, t2]);
    expect(getEntity(x, "code", "code-a")?.fields["memo"]).toBe("Oh, hello world");
    expect(canonicalState(y)).toBe(canonicalState(x));
  });

  it("loadText returns a doc whose edits become valid text ops", () => {
    const db = openTestDb();
    ingest(db, [makeOp({ kind: "create", target: memo, body: { fields: { name: "A" } }, hlc: at(0) })]);
    ingest(db, [
      textOp(
        1,
        R1,
        textUpdate(db, "code", "code-a", "memo", (t) => t.insert(0, "abc")),
      ),
    ]);
    const doc = loadText(db, "code", "code-a", "memo");
    expect(doc.getText("memo").toString()).toBe("abc");
    const sv = Y.encodeStateVector(doc);
    doc.getText("memo").delete(0, 1);
    ingest(db, [textOp(2, R1, Buffer.from(Y.encodeStateAsUpdate(doc, sv)).toString("base64"))]);
    expect(getEntity(db, "code", "code-a")?.fields["memo"]).toBe("bc");
  });
});

describe("text storage", () => {
  it("deleted content does not pile up in the stored state (compaction keeps the text)", () => {
    const db = openTestDb();
    ingest(db, [makeOp({ kind: "create", target: memo, body: { fields: { name: "A" } }, hlc: at(0) })]);
    const chunk = "lorem ipsum dolor sit amet ".repeat(40);
    for (let i = 0; i < 60; i++) {
      ingest(db, [
        textOp(
          1 + 2 * i,
          R1,
          textUpdate(db, "code", "code-a", "memo", (t) => t.insert(0, chunk)),
        ),
      ]);
      ingest(db, [
        textOp(
          2 + 2 * i,
          R1,
          textUpdate(db, "code", "code-a", "memo", (t) => t.delete(0, t.length)),
        ),
      ]);
    }
    ingest(db, [
      textOp(
        500,
        R1,
        textUpdate(db, "code", "code-a", "memo", (t) => t.insert(0, "kept")),
      ),
    ]);
    expect(getEntity(db, "code", "code-a")?.fields["memo"]).toBe("kept");
    const size = db.prepare("SELECT length(state) FROM m_texts").pluck().get() as number;
    expect(size).toBeLessThan(20_000); // not the ~64 KB of text typed and deleted
    const before = canonicalState(db);
    rebuild(db);
    expect(canonicalState(db)).toBe(before);
  });
});
