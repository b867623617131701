import { afterEach, describe, expect, it } from "vitest";
import { getEntity, listLinks, segmentRange } from "../materialiser/index.js";
import { MAX_BODY_BYTES } from "../op/op.js";
import { bodyBytes } from "../op/canonical.js";
import { openReplica, type Replica } from "../replica.js";
import { CommandError, type CommandErrorReason } from "./errors.js";

let r: Replica;
afterEach(() => r?.close());

function fresh(): Replica {
  r = openReplica(":memory:", { actor: "alice", projectName: "Study" });
  return r;
}

/** The command throws a CommandError with `reason` and a message matching `message`, and writes nothing. */
function expectRefused(fn: () => unknown, reason: CommandErrorReason, message: RegExp): void {
  const before = r.opsAfter().length;
  const state = r.canonicalState();
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(CommandError);
  expect((caught as CommandError).reason).toBe(reason);
  expect((caught as CommandError).message).toMatch(message);
  expect(r.opsAfter().length).toBe(before);
  expect(r.canonicalState()).toBe(state);
}

const field = (type: Parameters<typeof getEntity>[1], id: string, f: string) => getEntity(r.db, type, id)?.fields[f];

describe("codes and categories", () => {
  it("create, rename, recolour, move, delete and restore", () => {
    fresh();
    const cat = r.createCategory({ name: "Feelings", color: "#aa0000" });
    const code = r.createCode({ name: " Hope ", color: "#00aa00", parent: cat });
    expect(field("code", code, "name")).toBe("Hope");
    r.rename("code", code, "Hopefulness");
    r.recolour("code", code, "#0000AA");
    expect(field("code", code, "color")).toBe("#0000AA");
    r.move("code", code, null);
    expect(getEntity(r.db, "code", code)?.parent).toBeNull();
    r.remove("code", code);
    expect(getEntity(r.db, "code", code)?.live).toBe(false);
    r.restore("code", code);
    expect(getEntity(r.db, "code", code)?.live).toBe(true);
    const set = r.opsAfter().filter((o) => o.kind === "set");
    expect(set[0]!.prev).toHaveLength(1); // the create op that wrote the name
  });

  it("refuses bad names, colours, unknown or deleted entities and cycles, writing nothing", () => {
    fresh();
    const a = r.createCategory({ name: "A", color: "#aa0000" });
    const b = r.createCategory({ name: "B", color: "#aa0000", parent: a });
    const code = r.createCode({ name: "Hope", color: "#00aa00" });
    expectRefused(() => r.createCode({ name: "  ", color: "#000000" }), "invalid-name", /code name is not valid/);
    expectRefused(() => r.createCode({ name: "X", color: "red" }), "invalid-color", /#RRGGBB/);
    expectRefused(() => r.recolour("code", code, "#12345"), "invalid-color", /#RRGGBB/);
    expectRefused(() => r.rename("code", "nope", "X"), "not-found", /no code with id nope/);
    expectRefused(() => r.move("category", a, b), "would-create-cycle", /inside itself/);
    expectRefused(() => r.move("category", a, a), "would-create-cycle", /inside itself/);
    expectRefused(() => r.move("code", code, code), "not-found", /no parent category/);
    expectRefused(() => r.createCode({ name: "Y", color: "#000000", parent: "nope" }), "not-found", /parent category/);
    r.remove("category", b);
    expectRefused(() => r.rename("category", b, "C"), "not-live", /deleted: restore it first/);
    expectRefused(() => r.remove("category", b), "not-live", /deleted/);
    expectRefused(() => r.restore("category", a), "already-live", /not deleted/);
    expectRefused(() => r.move("code", code, b), "not-live", /parent category .* is deleted/);
  });
});

describe("sources and text", () => {
  it("imports a text source and edits it by insert, delete and replace", () => {
    fresh();
    const src = r.importTextSource({ name: "Interview 1", text: "I hope so." });
    r.editSourceText(src, { insert: "really ", at: 2 });
    r.editSourceText(src, { delete: 1, at: 0 });
    r.editSourceText(src, { replace: "think", from: 8, to: 12 });
    expect(field("source", src, "content")).toBe(" really think so.");
  });

  it("splits a large text into text ops of at most 256 KiB each", () => {
    fresh();
    const text = "ü€😀 ".repeat(60_000); // 300,000 UTF-16 units, ~660 KB of UTF-8
    const src = r.importTextSource({ name: "Long interview", text });
    const textOps = r.opsAfter().filter((o) => o.kind === "text");
    expect(textOps.length).toBeGreaterThan(3);
    for (const op of textOps) expect(bodyBytes(op)).toBeLessThanOrEqual(MAX_BODY_BYTES);
    expect(field("source", src, "content")).toBe(text);
  });

  it("refuses out-of-range edits and edits of media sources, writing nothing", () => {
    fresh();
    const src = r.importTextSource({ name: "Interview 1", text: "abc" });
    const pdf = r.addMediaSource({ name: "Scan", kind: "pdf", mediaPath: "scans/1.pdf" });
    expectRefused(() => r.editSourceText(src, { insert: "x", at: 4 }), "out-of-range", /insert position 4 is outside the text \(0 to 3/);
    expectRefused(() => r.editSourceText(src, { delete: 3, at: 1 }), "out-of-range", /delete length 3/);
    expectRefused(() => r.editSourceText(src, { replace: "x", from: 2, to: 1 }), "out-of-range", /before its start/);
    expectRefused(() => r.editSourceText(pdf, { insert: "x", at: 0 }), "invalid-value", /pdf source/);
    expectRefused(() => r.editSourceText("nope", { insert: "x", at: 0 }), "not-found", /no source/);
    expectRefused(() => r.importTextSource({ name: "", text: "x" }), "invalid-name", /source name/);
    expectRefused(() => r.addMediaSource({ name: "V", kind: "text" as never, mediaPath: "x" }), "invalid-value", /media kind/);
    expectRefused(() => r.editMemo("attribute", "x", { insert: "x", at: 0 }), "invalid-value", /has no memo/);
  });

  it("edits memos of codes, sources and the project", () => {
    fresh();
    const code = r.createCode({ name: "Hope", color: "#00aa00" });
    r.editMemo("code", code, { insert: "Expressions of hope", at: 0 });
    r.editProjectMemo({ insert: "Pilot study", at: 0 });
    expect(field("code", code, "memo")).toBe("Expressions of hope");
    expect(field("project", r.project, "memo")).toBe("Pilot study");
  });
});

describe("segments", () => {
  it("codes a segment that follows later text edits; recode and mark important", () => {
    fresh();
    const code = r.createCode({ name: "Hope", color: "#00aa00" });
    const other = r.createCode({ name: "Fear", color: "#aa0000" });
    const src = r.importTextSource({ name: "Interview 1", text: "I hope so." });
    const seg = r.codeSegment({ code, source: src, start: 2, end: 6 });
    r.editSourceText(src, { insert: "really ", at: 2 });
    expect(segmentRange(r.db, seg)).toMatchObject({ start: 9, end: 13 });
    r.recodeSegment(seg, other);
    r.markImportant(seg, true);
    expect(getEntity(r.db, "segment", seg)?.fields).toMatchObject({ code: other, important: true });
    const pdf = r.addMediaSource({ name: "Scan", kind: "pdf", mediaPath: "scans/1.pdf" });
    const page = r.codeSegment({ code, source: pdf, start: 3, end: 3 });
    expect(getEntity(r.db, "segment", page)?.fields).toMatchObject({ start: 3, end: 3 });
  });

  it("refuses segments outside the text, empty ones, and unknown or deleted codes", () => {
    fresh();
    const code = r.createCode({ name: "Hope", color: "#00aa00" });
    const src = r.importTextSource({ name: "Interview 1", text: "I hope so." });
    expectRefused(() => r.codeSegment({ code, source: src, start: 2, end: 11 }), "out-of-range", /segment end 11 is outside/);
    expectRefused(() => r.codeSegment({ code, source: src, start: 4, end: 4 }), "out-of-range", /at least one character/);
    expectRefused(() => r.codeSegment({ code, source: src, start: -1, end: 2 }), "out-of-range", /segment start -1/);
    expectRefused(() => r.codeSegment({ code: "nope", source: src, start: 0, end: 2 }), "not-found", /no code/);
    const seg = r.codeSegment({ code, source: src, start: 0, end: 1 });
    expectRefused(() => r.markImportant(seg, "yes" as never), "invalid-value", /true or false/);
    r.remove("code", code);
    expectRefused(() => r.codeSegment({ code, source: src, start: 0, end: 2 }), "not-live", /deleted/);
    expectRefused(() => r.markImportant(seg, true), "not-live", /not live/);
  });
});

describe("cases and attributes", () => {
  it("sets attribute values by type and links sources to cases (add-wins)", () => {
    fresh();
    const kase = r.createCase({ name: "Maria" });
    const age = r.createAttribute({ name: "Age", valueType: "number", appliesTo: "case" });
    const born = r.createAttribute({ name: "Born", valueType: "date", appliesTo: "case" });
    r.setAttributeValue({ target: { type: "case", id: kase }, attribute: age, value: 42 });
    r.setAttributeValue({ target: { type: "case", id: kase }, attribute: born, value: "1984-02-29" });
    expect(field("case", kase, `attr:${age}`)).toBe(42);
    const src = r.importTextSource({ name: "Interview 1", text: "x" });
    r.linkSource(kase, src);
    r.linkSource(kase, src); // already linked: no new op
    expect(r.opsAfter().filter((o) => o.kind === "link")).toHaveLength(1);
    expect(listLinks(r.db, kase)).toHaveLength(1);
    r.unlinkSource(kase, src);
    expect(listLinks(r.db, kase)).toHaveLength(0);
  });

  it("refuses values of the wrong type, wrong targets and unlinking what is not linked", () => {
    fresh();
    const kase = r.createCase({ name: "Maria" });
    const src = r.importTextSource({ name: "Interview 1", text: "x" });
    const age = r.createAttribute({ name: "Age", valueType: "number", appliesTo: "case" });
    const born = r.createAttribute({ name: "Born", valueType: "date", appliesTo: "case" });
    const target = { type: "case", id: kase } as const;
    expectRefused(() => r.setAttributeValue({ target, attribute: age, value: "forty" }), "invalid-value", /"Age" holds a number/);
    expectRefused(() => r.setAttributeValue({ target, attribute: born, value: "1985-02-29" }), "invalid-value", /YYYY-MM-DD/);
    expectRefused(() => r.setAttributeValue({ target: { type: "source", id: src }, attribute: age, value: 3 }), "invalid-value", /applies to cases/);
    expectRefused(() => r.setAttributeValue({ target, attribute: "nope", value: 3 }), "not-found", /no attribute/);
    expectRefused(() => r.createAttribute({ name: "X", valueType: "colour" as never, appliesTo: "case" }), "invalid-value", /value type/);
    expectRefused(() => r.unlinkSource(kase, src), "not-linked", /not linked/);
  });
});

describe("merge, resolve, folders, journals", () => {
  it("merges codes (segments follow) and refuses merging a code into itself", () => {
    fresh();
    const hope = r.createCode({ name: "Hope", color: "#00aa00" });
    const optimism = r.createCode({ name: "Optimism", color: "#00aa00" });
    const src = r.importTextSource({ name: "Interview 1", text: "I hope so." });
    const seg = r.codeSegment({ code: optimism, source: src, start: 0, end: 1 });
    r.mergeCodes(optimism, hope);
    expect(getEntity(r.db, "segment", seg)).toMatchObject({ live: true, effectiveCode: hope });
    expectRefused(() => r.mergeCodes(hope, hope), "would-create-cycle", /into itself/);
    expectRefused(() => r.mergeCodes(optimism, hope), "not-live", /code to merge .* not live/);
  });

  it("resolves a reported conflict, and refuses an unknown one", () => {
    fresh();
    r.createCode({ name: "Hope", color: "#00aa00" });
    r.createCode({ name: "hope", color: "#00aa00" });
    const [conflict] = r.conflicts();
    expect(conflict?.kind).toBe("duplicate-name");
    r.resolveConflict(conflict!.id);
    expect(r.conflicts()).toHaveLength(0);
    expectRefused(() => r.resolveConflict(conflict!.id), "not-found", /no open conflict/);
  });

  it("folders hold sources; journals hold text", () => {
    fresh();
    const top = r.createFolder({ name: "Round 1" });
    const sub = r.createFolder({ name: "Pilots", parent: top });
    const src = r.importTextSource({ name: "Interview 1", text: "x", parent: sub });
    expect(getEntity(r.db, "source", src)?.parent).toBe(sub);
    expectRefused(() => r.move("folder", top, sub), "would-create-cycle", /inside itself/);
    r.remove("folder", sub);
    expect(getEntity(r.db, "source", src)?.effectiveParent).toBe(top);
    const journal = r.createJournal({ name: "Field notes", text: "Day 1" });
    r.editJournal(journal, { insert: ": rain", at: 5 });
    expect(field("journal", journal, "content")).toBe("Day 1: rain");
    r.renameProject("Study 2");
    expect(field("project", r.project, "name")).toBe("Study 2");
  });
});
