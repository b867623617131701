/**
 * The text-update reader (yjs-update.ts) against Yjs itself: every update
 * Yjs makes for text edits is accepted; whatever the reader accepts, Yjs can
 * decode, on random bytes and on real updates with bytes changed; and what a
 * text field must not hold is refused with a reason. (Whether Yjs can also
 * apply such an update depends on the state it meets: the materialiser
 * contains that, materialiser/text-guard.test.ts.)
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { arbTextUpdate } from "../testing/yjs-updates.js";
import { decodeBase64 } from "./base64.js";
import { textUpdateProblem } from "./yjs-update.js";

const numRuns = Number(process.env["QC_PROPERTY_RUNS"] ?? 300);
const bytesOf = (base64: string): Uint8Array => new Uint8Array(Buffer.from(base64, "base64"));

describe("textUpdateProblem", () => {
  it("accepts every update Yjs makes for text edits", () => {
    fc.assert(
      fc.property(arbTextUpdate("content"), (update) => {
        expect(textUpdateProblem(bytesOf(update), "content")).toBeUndefined();
      }),
      { numRuns },
    );
  });

  it("accepts only what Yjs can decode: random bytes and real updates with bytes changed", () => {
    const arbMutated = fc
      .tuple(
        arbTextUpdate("memo"),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
        fc.nat(),
      )
      .map(([update, changes, cut]) => {
        const bytes = bytesOf(update);
        for (const [at, value] of changes) bytes[at % bytes.length] = value;
        return cut % 3 === 0 ? bytes.subarray(0, cut % bytes.length) : bytes;
      });
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 64 }), arbMutated), (bytes) => {
        if (textUpdateProblem(bytes, "memo") === undefined) Y.decodeUpdate(bytes);
      }),
      { numRuns: numRuns * 5 },
    );
  });

  it("matches base64 decoding byte for byte (decodeBase64 against Buffer)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        const base64 = Buffer.from(bytes).toString("base64");
        expect([...decodeBase64(base64)]).toEqual([...bytes]);
      }),
      { numRuns },
    );
  });

  const docWith = (edit: (doc: Y.Doc) => void): Uint8Array => {
    const doc = new Y.Doc();
    doc.clientID = 7;
    edit(doc);
    const update = Y.encodeStateAsUpdate(doc);
    doc.destroy();
    return update;
  };

  it.each<[string, Uint8Array, RegExp]>([
    [
      "garbage that is valid base64 (the review's case)",
      bytesOf("AQID"),
      /not a Yjs text update: 2 structs at byte 1, but only 1 bytes follow/,
    ],
    ["an empty input", new Uint8Array(0), /unexpected end at byte 0/],
    ["bytes after the delete set", new Uint8Array([0, 0, 0]), /1 bytes after the end of the update/],
    ["a huge count", new Uint8Array([0xff, 0xff, 0xff, 0x7f]), /clients at byte 0, but only 0 bytes follow/],
    ["text written to another root", docWith((d) => d.getText("memo").insert(0, "hidden")), /writes to the root "memo", not "content"/],
    ["an embed", docWith((d) => d.getText("content").insertEmbed(0, { image: "x" })), /an embed at byte \d+: a text field holds only text/],
    ["a format", docWith((d) => d.getText("content").insert(0, "bold", { bold: true })), /a format at byte/],
    ["a nested type", docWith((d) => d.getText("content").insertEmbed(0, new Y.Map())), /a nested type at byte/],
    ["an attribute (map entry) on the text", docWith((d) => d.getText("content").setAttribute("k", "v")), /Any content at byte/],
    ["a map root", docWith((d) => d.getMap("content").set("k", "v")), /Any content at byte/],
  ])("refuses %s", (_name, bytes, reason) => {
    expect(textUpdateProblem(bytes, "content")).toMatch(reason);
  });

  it("refuses an item whose origin is itself or a later item of its client (Yjs cannot apply it)", () => {
    // client 1: "  " at clock 0..1, then an item at clock 2 whose origin is (1, 2): itself.
    const self = new Uint8Array([1, 2, 1, 0, 4, 1, 4, 109, 101, 109, 111, 2, 32, 32, 132, 1, 2, 1, 32, 0]);
    expect(textUpdateProblem(self, "memo")).toMatch(/has its own or a later item \(clock 2 >= 2\) as its origin/);
  });

  it("refuses a string that runs past the end (Yjs would read past the update)", () => {
    const good = docWith((d) => d.getText("content").insert(0, "hello"));
    expect(textUpdateProblem(good, "content")).toBeUndefined();
    expect(textUpdateProblem(good.subarray(0, good.length - 4), "content")).toMatch(/runs past the end|unexpected end/);
  });
});
