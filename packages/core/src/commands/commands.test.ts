import { afterEach, describe, expect, it } from "vitest";
import type { EntityType } from "../op/op.js";
import { MAX_BODY_BYTES } from "../op/op.js";
import { bodyBytes } from "../op/canonical.js";
import { createReplica, type Replica } from "../replica.js";
import type { CommandErrorReason } from "./errors.js";
import { expectCommandRefused } from "../testing/expect-refused.js";

let r: Replica;
afterEach(() => r?.close());

function fresh(): Replica {
  r = createReplica(":memory:", { actor: "alice", projectName: "Study" });
  return r;
}

/** The command throws a CommandError with `reason` and a message matching `message`, and writes nothing. */
function expectRefused(fn: () => unknown, reason: CommandErrorReason, message: RegExp): void {
  expectCommandRefused(r, fn, reason, message);
}

const field = (type: EntityType, id: string, f: string) => r.read.entity(type, id)?.fields[f];

describe("codes and categories", () => {
  it("create, rename, recolour, move, delete and restore", () => {
    fresh();
    const cat = r.commands.createCategory({ name: "Feelings", color: "#aa0000" });
    const code = r.commands.createCode({ name: " Hope ", color: "#00aa00", parent: cat });
    expect(field("code", code, "name")).toBe("Hope");
    r.commands.rename("code", code, "Hopefulness");
    r.commands.recolour("code", code, "#0000AA");
    expect(field("code", code, "color")).toBe("#0000AA");
    r.commands.move("code", code, null);
    expect(r.read.entity("code", code)?.parent).toBeNull();
    r.commands.remove("code", code);
    expect(r.read.entity("code", code)?.live).toBe(false);
    r.commands.restore("code", code);
    expect(r.read.entity("code", code)?.live).toBe(true);
    const set = r.sync.opsAfter().filter((o) => o.kind === "set");
    expect(set[0]!.prev).toHaveLength(1); // the create op that wrote the name
  });

  it("refuses bad names, colours, unknown or deleted entities and cycles, writing nothing", () => {
    fresh();
    const a = r.commands.createCategory({ name: "A", color: "#aa0000" });
    const b = r.commands.createCategory({ name: "B", color: "#aa0000", parent: a });
    const code = r.commands.createCode({ name: "Hope", color: "#00aa00" });
    expectRefused(() => r.commands.createCode({ name: "  ", color: "#000000" }), "invalid-name", /code name is not valid/);
    // A control or bidi character would make the name read as something else (the op rules alone allow them).
    expectRefused(() => r.commands.createCode({ name: "bad\u0007name", color: "#000000" }), "invalid-name", /control character, U\+0007/);
    expectRefused(() => r.commands.rename("code", code, "Hope\u202eepoH"), "invalid-name", /bidi control/);
    expect(r.read.entity("code", code)?.fields["name"]).toBe("Hope");
    expectRefused(() => r.commands.createCode({ name: "X", color: "red" }), "invalid-color", /#RRGGBB/);
    expectRefused(() => r.commands.recolour("code", code, "#12345"), "invalid-color", /#RRGGBB/);
    expectRefused(() => r.commands.rename("code", "nope", "X"), "not-found", /no code with id nope/);
    expectRefused(() => r.commands.move("category", a, b), "would-create-cycle", /inside itself/);
    expectRefused(() => r.commands.move("category", a, a), "would-create-cycle", /inside itself/);
    expectRefused(() => r.commands.move("code", code, code), "not-found", /no parent category/);
    expectRefused(() => r.commands.createCode({ name: "Y", color: "#000000", parent: "nope" }), "not-found", /parent category/);
    r.commands.remove("category", b);
    expectRefused(() => r.commands.rename("category", b, "C"), "not-live", /deleted: restore it first/);
    expectRefused(() => r.commands.remove("category", b), "not-live", /deleted/);
    expectRefused(() => r.commands.restore("category", a), "already-live", /not deleted/);
    expectRefused(() => r.commands.move("code", code, b), "not-live", /parent category .* is deleted/);
  });
});

describe("sources and text", () => {
  it("imports a text source and edits it by insert, delete and replace", () => {
    fresh();
    const src = r.commands.importTextSource({ name: "Interview 1", text: "I hope so." });
    r.commands.editSourceText(src, { insert: "really ", at: 2 });
    r.commands.editSourceText(src, { delete: 1, at: 0 });
    r.commands.editSourceText(src, { replace: "think", from: 8, to: 12 });
    expect(field("source", src, "content")).toBe(" really think so.");
  });

  it("splits a large text into text ops of at most 256 KiB each", () => {
    fresh();
    const text = "ü€😀 ".repeat(60_000); // 300,000 UTF-16 units, ~660 KB of UTF-8
    const src = r.commands.importTextSource({ name: "Long interview", text });
    const textOps = r.sync.opsAfter().filter((o) => o.kind === "text");
    expect(textOps.length).toBeGreaterThan(3);
    for (const op of textOps) expect(bodyBytes(op)).toBeLessThanOrEqual(MAX_BODY_BYTES);
    expect(field("source", src, "content")).toBe(text);
  });

  it("refuses out-of-range edits and edits of media sources, writing nothing", () => {
    fresh();
    const src = r.commands.importTextSource({ name: "Interview 1", text: "abc" });
    const pdf = r.commands.addMediaSource({ name: "Scan", kind: "pdf", mediaPath: "scans/1.pdf" });
    expectRefused(
      () => r.commands.editSourceText(src, { insert: "x", at: 4 }),
      "out-of-range",
      /insert position 4 is outside the text \(0 to 3/,
    );
    expectRefused(() => r.commands.editSourceText(src, { delete: 3, at: 1 }), "out-of-range", /delete length 3/);
    expectRefused(() => r.commands.editSourceText(src, { replace: "x", from: 2, to: 1 }), "out-of-range", /before its start/);
    expectRefused(() => r.commands.editSourceText(pdf, { insert: "x", at: 0 }), "invalid-value", /pdf source/);
    expectRefused(() => r.commands.editSourceText("nope", { insert: "x", at: 0 }), "not-found", /no source/);
    expectRefused(() => r.commands.importTextSource({ name: "", text: "x" }), "invalid-name", /source name/);
    expectRefused(() => r.commands.addMediaSource({ name: "V", kind: "text" as never, mediaPath: "x" }), "invalid-value", /media kind/);
    expectRefused(() => r.commands.editMemo("attribute", "x", { insert: "x", at: 0 }), "invalid-value", /has no memo/);
  });

  it("edits memos of codes, sources and the project", () => {
    fresh();
    const code = r.commands.createCode({ name: "Hope", color: "#00aa00" });
    r.commands.editMemo("code", code, { insert: "Expressions of hope", at: 0 });
    r.commands.editProjectMemo({ insert: "Pilot study", at: 0 });
    expect(field("code", code, "memo")).toBe("Expressions of hope");
    expect(field("project", r.project, "memo")).toBe("Pilot study");
  });
});

describe("segments", () => {
  it("codes a segment that follows later text edits; recode and mark important", () => {
    fresh();
    const code = r.commands.createCode({ name: "Hope", color: "#00aa00" });
    const other = r.commands.createCode({ name: "Fear", color: "#aa0000" });
    const src = r.commands.importTextSource({ name: "Interview 1", text: "I hope so." });
    const seg = r.commands.codeSegment({ code, source: src, start: 2, end: 6 });
    r.commands.editSourceText(src, { insert: "really ", at: 2 });
    expect(r.read.entity("segment", seg)?.range).toMatchObject({ start: 9, end: 13 });
    r.commands.recodeSegment(seg, other);
    r.commands.markImportant(seg, true);
    expect(r.read.entity("segment", seg)?.fields).toMatchObject({ code: other, important: true });
    const pdf = r.commands.addMediaSource({ name: "Scan", kind: "pdf", mediaPath: "scans/1.pdf" });
    const page = r.commands.codeSegment({ code, source: pdf, start: 3, end: 3 });
    expect(r.read.entity("segment", page)?.fields).toMatchObject({ start: 3, end: 3 });
  });

  it("refuses segments outside the text, empty ones, and unknown or deleted codes", () => {
    fresh();
    const code = r.commands.createCode({ name: "Hope", color: "#00aa00" });
    const src = r.commands.importTextSource({ name: "Interview 1", text: "I hope so." });
    expectRefused(() => r.commands.codeSegment({ code, source: src, start: 2, end: 11 }), "out-of-range", /segment end 11 is outside/);
    expectRefused(() => r.commands.codeSegment({ code, source: src, start: 4, end: 4 }), "out-of-range", /at least one character/);
    expectRefused(() => r.commands.codeSegment({ code, source: src, start: -1, end: 2 }), "out-of-range", /segment start -1/);
    expectRefused(() => r.commands.codeSegment({ code: "nope", source: src, start: 0, end: 2 }), "not-found", /no code/);
    const seg = r.commands.codeSegment({ code, source: src, start: 0, end: 1 });
    expectRefused(() => r.commands.markImportant(seg, "yes" as never), "invalid-value", /true or false/);
    r.commands.remove("code", code);
    expectRefused(() => r.commands.codeSegment({ code, source: src, start: 0, end: 2 }), "not-live", /deleted/);
    expectRefused(() => r.commands.markImportant(seg, true), "not-live", /not live/);
  });
});

describe("cases and attributes", () => {
  it("sets attribute values by type and links sources to cases (add-wins)", () => {
    fresh();
    const kase = r.commands.createCase({ name: "Maria" });
    const age = r.commands.createAttribute({ name: "Age", valueType: "number", appliesTo: "case" });
    const born = r.commands.createAttribute({ name: "Born", valueType: "date", appliesTo: "case" });
    r.commands.setAttributeValue({ target: { type: "case", id: kase }, attribute: age, value: 42 });
    r.commands.setAttributeValue({ target: { type: "case", id: kase }, attribute: born, value: "1984-02-29" });
    expect(field("case", kase, `attr:${age}`)).toBe(42);
    const src = r.commands.importTextSource({ name: "Interview 1", text: "x" });
    r.commands.linkSource(kase, src);
    r.commands.linkSource(kase, src); // already linked: no new op
    expect(r.sync.opsAfter().filter((o) => o.kind === "link")).toHaveLength(1);
    expect(r.read.links(kase)).toHaveLength(1);
    r.commands.unlinkSource(kase, src);
    expect(r.read.links(kase)).toHaveLength(0);
  });

  it("refuses values of the wrong type, wrong targets and unlinking what is not linked", () => {
    fresh();
    const kase = r.commands.createCase({ name: "Maria" });
    const src = r.commands.importTextSource({ name: "Interview 1", text: "x" });
    const age = r.commands.createAttribute({ name: "Age", valueType: "number", appliesTo: "case" });
    const born = r.commands.createAttribute({ name: "Born", valueType: "date", appliesTo: "case" });
    const target = { type: "case", id: kase } as const;
    expectRefused(() => r.commands.setAttributeValue({ target, attribute: age, value: "forty" }), "invalid-value", /"Age" holds a number/);
    expectRefused(() => r.commands.setAttributeValue({ target, attribute: born, value: "1985-02-29" }), "invalid-value", /YYYY-MM-DD/);
    expectRefused(
      () => r.commands.setAttributeValue({ target: { type: "source", id: src }, attribute: age, value: 3 }),
      "invalid-value",
      /applies to cases/,
    );
    expectRefused(() => r.commands.setAttributeValue({ target, attribute: "nope", value: 3 }), "not-found", /no attribute/);
    expectRefused(
      () => r.commands.createAttribute({ name: "X", valueType: "colour" as never, appliesTo: "case" }),
      "invalid-value",
      /value type/,
    );
    expectRefused(() => r.commands.unlinkSource(kase, src), "not-linked", /not linked/);
  });
});

describe("merge, resolve, folders, journals", () => {
  it("merges codes (segments follow) and refuses merging a code into itself", () => {
    fresh();
    const hope = r.commands.createCode({ name: "Hope", color: "#00aa00" });
    const optimism = r.commands.createCode({ name: "Optimism", color: "#00aa00" });
    const src = r.commands.importTextSource({ name: "Interview 1", text: "I hope so." });
    const seg = r.commands.codeSegment({ code: optimism, source: src, start: 0, end: 1 });
    r.commands.mergeCodes(optimism, hope);
    expect(r.read.entity("segment", seg)).toMatchObject({ live: true, effectiveCode: hope });
    expectRefused(() => r.commands.mergeCodes(hope, hope), "would-create-cycle", /into itself/);
    expectRefused(() => r.commands.mergeCodes(optimism, hope), "not-live", /code to merge .* not live/);
  });

  it("resolves a reported conflict, and refuses an unknown one", () => {
    fresh();
    r.commands.createCode({ name: "Hope", color: "#00aa00" });
    r.commands.createCode({ name: "hope", color: "#00aa00" });
    const [conflict] = r.read.conflicts();
    expect(conflict?.kind).toBe("duplicate-name");
    r.commands.resolveConflict(conflict!.id);
    expect(r.read.conflicts()).toHaveLength(0);
    expectRefused(() => r.commands.resolveConflict(conflict!.id), "not-found", /no open conflict/);
  });

  it("folders hold sources; journals hold text", () => {
    fresh();
    const top = r.commands.createFolder({ name: "Round 1" });
    const sub = r.commands.createFolder({ name: "Pilots", parent: top });
    const src = r.commands.importTextSource({ name: "Interview 1", text: "x", parent: sub });
    expect(r.read.entity("source", src)?.parent).toBe(sub);
    expectRefused(() => r.commands.move("folder", top, sub), "would-create-cycle", /inside itself/);
    r.commands.remove("folder", sub);
    expect(r.read.entity("source", src)?.effectiveParent).toBe(top);
    const journal = r.commands.createJournal({ name: "Field notes", text: "Day 1" });
    r.commands.editJournal(journal, { insert: ": rain", at: 5 });
    expect(field("journal", journal, "content")).toBe("Day 1: rain");
    r.commands.renameProject("Study 2");
    expect(field("project", r.project, "name")).toBe("Study 2");
  });
});
