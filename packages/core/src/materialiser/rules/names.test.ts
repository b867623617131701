/** The pure duplicate-name and concurrent-edit decisions (rules/names.ts, rules/concurrent-edits.ts). */
import { describe, expect, it } from "vitest";
import { addWrite, concurrentPairs, prevKey, registerHeads } from "./concurrent-edits.js";
import { duplicateNameKey, duplicatePairs, normaliseName } from "./names.js";

describe("duplicate names", () => {
  it("names compare trimmed, NFC and lower-cased", () => {
    expect(normaliseName("  Ä ")).toBe(normaliseName("A\u0308"));
    expect(normaliseName("ANGER")).toBe("anger");
    expect(normaliseName("ß")).not.toBe(normaliseName("SS"));
  });

  it("categories are scoped by their effective parent, other types project-wide; only live, named, checked types take part", () => {
    const base = { live: true, effectiveParent: "p", name: "Joy" };
    expect(duplicateNameKey({ ...base, type: "category" })).toBe(JSON.stringify(["p", "joy"]));
    expect(duplicateNameKey({ ...base, type: "category", effectiveParent: null })).toBe(JSON.stringify(["", "joy"]));
    expect(duplicateNameKey({ ...base, type: "code" })).toBe(JSON.stringify(["", "joy"]));
    expect(duplicateNameKey({ ...base, type: "folder" })).toBe(null);
    expect(duplicateNameKey({ ...base, type: "code", live: false })).toBe(null);
    expect(duplicateNameKey({ ...base, type: "code", name: undefined })).toBe(null);
  });

  it("a group of n makes every pair, entities sorted by id with their first creates", () => {
    const pairs = duplicatePairs([
      { id: "c", createHlc: "h3" },
      { id: "a", createHlc: "h1" },
      { id: "b", createHlc: "h2" },
    ]);
    expect(pairs).toEqual([
      { entities: ["a", "b"], creates: ["h1", "h2"] },
      { entities: ["a", "c"], creates: ["h1", "h3"] },
      { entities: ["b", "c"], creates: ["h2", "h3"] },
    ]);
  });
});

describe("concurrent edits", () => {
  it("prev compares as a set", () => {
    expect(prevKey(["b", "a", "b"])).toBe(prevKey(["a", "b"]));
    expect(prevKey([])).not.toBe(prevKey(["a"]));
  });

  it("writes with one prev pair up, each pair once", () => {
    expect(concurrentPairs(["z", "x", "y", "x"])).toEqual([
      ["x", "y"],
      ["x", "z"],
      ["y", "z"],
    ]);
    expect(concurrentPairs(["x"])).toEqual([]);
  });

  it("heads are the winner plus writes no recorded write saw", () => {
    let unseen = addWrite([], [], "w1", false);
    unseen = addWrite(unseen, ["w1"], "w2", false);
    unseen = addWrite(unseen, ["w1"], "w3", false);
    expect(unseen).toEqual(["w2", "w3"]);
    expect(registerHeads("w3", unseen, 64)).toEqual(["w2", "w3"]);
    expect(registerHeads("c0", [], 64)).toEqual(["c0"]);
    expect(registerHeads(undefined, [], 64)).toEqual([]);
  });

  it("a write some recorded write already lists (it arrived late) is not unseen", () => {
    const later = addWrite([], ["w1"], "w2", false);
    expect(addWrite(later, [], "w1", true)).toEqual(["w2"]);
  });

  it("heads are capped: the winner stays, then the newest others", () => {
    const unseen = ["h1", "h2", "h3", "h4"];
    expect(registerHeads("h1", unseen, 2)).toEqual(["h1", "h4"]);
    expect(registerHeads(undefined, unseen, 2)).toEqual(["h3", "h4"]);
  });
});
