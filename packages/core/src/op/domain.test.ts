import { describe, expect, it } from "vitest";
import {
  DOMAIN,
  isBase64,
  isFixedAfterCreate,
  isKindAllowed,
  isRegisterField,
  isTextField,
  listFields,
  readAttributeId,
  validateFieldValue,
} from "./domain.js";
import { ENTITY_TYPES, OP_KINDS } from "./op.js";
import type { EntityType, OpKind } from "./op.js";

describe("the field table of docs/design.md §2", () => {
  it.each<[EntityType, ReadonlyArray<string>]>([
    ["project", ["name", "memo"]],
    ["category", ["name", "color", "parent", "memo"]],
    ["code", ["name", "color", "parent", "memo"]],
    ["folder", ["name", "parent"]],
    ["source", ["name", "kind", "mediaPath", "parent", "content", "memo", "attr:<attributeId>"]],
    ["segment", ["code", "source", "start", "end", "important", "memo"]],
    ["case", ["name", "memo", "attr:<attributeId>"]],
    ["attribute", ["name", "valueType", "appliesTo"]],
    ["journal", ["name", "content"]],
  ])("%s has fields %j", (type, fields) => {
    expect([...listFields(type)].sort()).toEqual([...fields].sort());
  });

  it("marks memo and content as text fields and nothing else", () => {
    for (const type of ENTITY_TYPES) {
      for (const field of listFields(type)) {
        expect(isTextField(type, field)).toBe(field === "memo" || field === "content");
      }
    }
    expect(isTextField("source", "content")).toBe(true);
    expect(isTextField("code", "content")).toBe(false);
  });

  it("attribute value registers exist on case and source only", () => {
    expect(readAttributeId("case", "attr:a1")).toBe("a1");
    expect(readAttributeId("source", "attr:a1")).toBe("a1");
    expect(readAttributeId("code", "attr:a1")).toBeUndefined();
    // Convex refuses non-ASCII object keys: such a field could never be pushed.
    expect(readAttributeId("case", "attr:é")).toBeUndefined();
    expect(readAttributeId("case", "attr:a\u0001")).toBeUndefined();
    expect(readAttributeId("case", `attr:${"a".repeat(1001)}`)).toBeUndefined();
    expect(readAttributeId("case", `attr:${"a".repeat(1000)}`)).toBe("a".repeat(1000));
    expect(readAttributeId("case", "attr:")).toBeUndefined();
    expect(isRegisterField("case", "attr:a1")).toBe(true);
    expect(isRegisterField("code", "attr:a1")).toBe(false);
    expect(isRegisterField("code", "memo")).toBe(false);
    expect(isRegisterField("code", "toString")).toBe(false);
  });

  it("fixes a segment's source, start and end at creation", () => {
    expect(isFixedAfterCreate("segment", "source")).toBe(true);
    expect(isFixedAfterCreate("segment", "start")).toBe(true);
    expect(isFixedAfterCreate("segment", "end")).toBe(true);
    expect(isFixedAfterCreate("segment", "code")).toBe(false);
    expect(isFixedAfterCreate("segment", "important")).toBe(false);
    expect(isFixedAfterCreate("source", "source")).toBe(false);
    expect(DOMAIN.segment.requiredOnCreate).toEqual(["code", "source", "start", "end"]);
  });
});

describe("isKindAllowed", () => {
  const restricted: Partial<Record<OpKind, ReadonlyArray<EntityType>>> = {
    move: ["category", "code", "folder", "source"],
    link: ["case"],
    unlink: ["case"],
    merge: ["code"],
    resolve: ["project"],
    text: ["project", "category", "code", "source", "segment", "case", "journal"],
  };

  it.each(OP_KINDS.map((kind) => [kind] as const))("%s applies to the documented types", (kind) => {
    const allowed = ENTITY_TYPES.filter((type) => isKindAllowed(kind, type));
    expect(allowed).toEqual(restricted[kind] ?? ENTITY_TYPES);
  });
});

describe("validateFieldValue", () => {
  it.each<[EntityType, string, unknown]>([
    ["code", "name", "Anger"],
    ["code", "name", "x".repeat(500)],
    ["code", "name", "😀".repeat(500)],
    ["code", "color", "#a1B2c3"],
    ["code", "parent", null],
    ["code", "parent", "category-1"],
    ["category", "color", "#000000"],
    ["folder", "parent", "folder-1"],
    ["source", "kind", "pdf"],
    ["source", "mediaPath", null],
    ["source", "mediaPath", "media/interview.mp3"],
    ["source", "attr:a1", 3.5],
    ["case", "attr:a1", null],
    ["case", "attr:a1", true],
    ["case", "attr:a1", "Berlin"],
    ["segment", "important", false],
    ["segment", "start", 0],
    ["segment", "end", 12.5],
    ["segment", "start", "AQID"],
    ["segment", "code", "code-1"],
    ["attribute", "valueType", "date"],
    ["attribute", "appliesTo", "source"],
    ["journal", "name", "Day 1"],
  ])("accepts %s.%s = %j", (type, field, value) => {
    expect(validateFieldValue(type, field, value)).toBeUndefined();
  });

  it.each<[EntityType, string, unknown, RegExp]>([
    ["code", "name", "", /non-empty/],
    ["code", "name", "   ", /non-empty/],
    ["code", "name", " Anger", /leading or trailing whitespace/],
    ["code", "name", "x".repeat(501), /at most 500 characters, got 501/],
    ["code", "name", 5, /expected a name/],
    ["code", "color", "red", /^expected #RRGGBB, got "red"$/],
    ["code", "color", "#12345", /#RRGGBB/],
    ["code", "color", null, /#RRGGBB/],
    ["code", "parent", 7, /parent id/],
    ["code", "parent", "", /parent id/],
    ["source", "kind", "docx", /text, pdf, image, audio, video/],
    ["source", "mediaPath", 1, /media path/],
    ["segment", "important", "yes", /true or false/],
    ["segment", "start", Number.NaN, /anchor/],
    ["segment", "start", "not base64!", /anchor/],
    ["segment", "start", "", /anchor/],
    ["segment", "code", "", /entity id/],
    ["attribute", "valueType", "string", /text, number, date, boolean/],
    ["attribute", "appliesTo", "code", /case, source/],
    ["case", "attr:a1", { nested: 1 }, /attribute value/],
    ["case", "attr:a1", Number.POSITIVE_INFINITY, /attribute value/],
    ["code", "memo", "x", /text field of code: only text ops write it/],
    ["code", "kind", "pdf", /code has no field "kind"/],
    ["code", "attr:a1", 1, /code has no field "attr:a1"/],
    ["code", "constructor", 1, /has no field/],
  ])("refuses %s.%s = %j", (type, field, value, reason) => {
    expect(validateFieldValue(type, field, value)).toMatch(reason);
  });
});

describe("isBase64", () => {
  it.each(["", "AAA=", "AA==", "AQID", "ab+/"])("accepts %j", (s) => expect(isBase64(s)).toBe(true));
  it.each(["A", "AA=", "A===", "AQI$", "AQ=D", "AQID\n"])("refuses %j", (s) => expect(isBase64(s)).toBe(false));
});
