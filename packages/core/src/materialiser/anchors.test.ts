import fc from "fast-check";
import * as Y from "yjs";
import { describe, expect, it } from "vitest";
import { encodeTextAnchors, makeAnchorResolver } from "./anchors.js";

const numRuns = Number(process.env["QC_PROPERTY_RUNS"] ?? 200);

const editArb = fc.record({
  doc: fc.nat(1),
  insert: fc.boolean(),
  at: fc.nat(100),
  len: fc.integer({ min: 1, max: 4 }),
  sync: fc.boolean(),
});

describe("segment anchors", () => {
  it("the one-pass anchor resolver agrees with Yjs's own resolution after any edits", () => {
    fc.assert(
      fc.property(
        fc.array(editArb, { maxLength: 30 }),
        fc.array(fc.tuple(fc.nat(100), fc.nat(100)), { maxLength: 6 }),
        (edits, anchorsAt) => {
          const docs = [new Y.Doc(), new Y.Doc()] as const;
          docs[0].clientID = 1;
          docs[1].clientID = 2;
          docs[0].getText("content").insert(0, "The interviewee talked about work.");
          Y.applyUpdate(docs[1], Y.encodeStateAsUpdate(docs[0]));
          const anchors = anchorsAt.map(([a, b]) => {
            const len = docs[0].getText("content").length;
            const start = a % len;
            return encodeTextAnchors(docs[0], "content", start, start + 1 + (b % (len - start)));
          });
          for (const e of edits) {
            const text = docs[e.doc]!.getText("content");
            if (e.insert) text.insert(e.at % (text.length + 1), "x".repeat(e.len));
            else if (text.length > 0) text.delete(e.at % text.length, Math.min(e.len, text.length - (e.at % text.length)));
            if (e.sync) {
              Y.applyUpdate(docs[0], Y.encodeStateAsUpdate(docs[1]));
              Y.applyUpdate(docs[1], Y.encodeStateAsUpdate(docs[0]));
            }
          }
          Y.applyUpdate(docs[0], Y.encodeStateAsUpdate(docs[1]));
          const resolve = makeAnchorResolver(docs[0], "content");
          for (const { start, end } of anchors) {
            for (const anchor of [start, end]) {
              const rpos = Y.decodeRelativePosition(Buffer.from(anchor, "base64"));
              expect(resolve(anchor)).toBe(Y.createAbsolutePositionFromRelativePosition(rpos, docs[0])?.index);
            }
          }
        },
      ),
      { numRuns },
    );
  });

  it("an anchor that is not a relative position resolves nowhere", () => {
    const doc = new Y.Doc();
    doc.getText("content").insert(0, "abc");
    expect(makeAnchorResolver(doc, "content")("AAAA")).toBeUndefined();
  });
});
