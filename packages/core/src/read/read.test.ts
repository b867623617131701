import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createReplica, type Replica } from "../replica.js";

const dirs: Array<string> = [];
const open: Array<Replica> = [];
afterEach(() => {
  for (const r of open.splice(0)) r.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function fresh(actor = "ana", project?: string): Replica {
  const dir = mkdtempSync(join(tmpdir(), "qc-read-"));
  dirs.push(dir);
  const r = createReplica(join(dir, "p.qc"), { actor, ...(project === undefined ? {} : { project }) });
  open.push(r);
  return r;
}

describe("replica.read views", () => {
  it("nests codes under their category with segment counts that follow a merge", () => {
    const r = fresh();
    const c = r.commands;
    const feelings = c.createCategory({ name: "Feelings", color: "#112233" });
    const hope = c.createCode({ name: "hope", color: "#00ff00", parent: feelings });
    const fear = c.createCode({ name: "fear", color: "#ff0000", parent: feelings });
    const money = c.createCode({ name: "money", color: "#0000ff" });
    const src = c.importTextSource({ name: "Interview 1", text: "I hope it works out, but money is tight." });
    c.codeSegment({ code: hope, source: src, start: 2, end: 6 });
    c.codeSegment({ code: fear, source: src, start: 0, end: 1 });
    c.codeSegment({ code: money, source: src, start: 25, end: 30 });
    c.mergeCodes(fear, hope);

    const tree = r.read.tree("codes");
    expect(tree.map((n) => [n.name, n.segments])).toEqual([
      ["Feelings", 2],
      ["money", 1],
    ]);
    expect(tree[0]!.children.map((n) => [n.name, n.segments, n.color])).toEqual([["hope", 2, "#00ff00"]]);
    expect(r.read.tree("sources").map((n) => [n.name, n.segments])).toEqual([["Interview 1", 3]]);
  });

  it("counts only live segments: not a removed one, nor those of a removed code or source, and again after a restore", () => {
    const r = fresh();
    const c = r.commands;
    const hope = c.createCode({ name: "hope", color: "#00ff00" });
    const fear = c.createCode({ name: "fear", color: "#ff0000" });
    const [one, two] = [
      c.importTextSource({ name: "One", text: "I hope it works out." }),
      c.importTextSource({ name: "Two", text: "Fear." }),
    ];
    const gone = c.codeSegment({ code: hope, source: one, start: 2, end: 6 });
    c.codeSegment({ code: hope, source: one, start: 0, end: 1 });
    c.codeSegment({ code: fear, source: one, start: 7, end: 9 });
    c.codeSegment({ code: hope, source: two, start: 0, end: 4 });
    c.remove("segment", gone);
    c.remove("code", fear);
    c.remove("source", two);
    const counts = (kind: "codes" | "sources"): Array<[string, number]> => r.read.tree(kind).map((n) => [n.name, n.segments]);
    expect(counts("codes")).toEqual([["hope", 1]]);
    expect(counts("sources")).toEqual([["One", 1]]);
    c.restore("source", two);
    expect(counts("codes")).toEqual([["hope", 2]]);
    expect(counts("sources")).toEqual([
      ["One", 1],
      ["Two", 1],
    ]);
  });

  it("lists segments with their passage and coder, filtered by code, source or coder", () => {
    const a = fresh("ana");
    const code = a.commands.createCode({ name: "hope", color: "#00ff00" });
    const src = a.commands.importTextSource({ name: "Interview 1", text: "I hope it works out." });
    const seg = a.commands.codeSegment({ code, source: src, start: 2, end: 6, important: true });
    a.commands.editSourceText(src, { insert: "Well, ", at: 0 });

    expect(a.read.segments()).toEqual([
      { id: seg, code, source: src, start: 8, end: 12, collapsed: false, text: "hope", coder: "ana", memo: "", important: true },
    ]);
    expect(a.read.segments({ coder: "ben" })).toEqual([]);
    expect(a.read.segments({ code, source: src, coder: "ana" })).toHaveLength(1);
    expect(a.read.segments({ source: "nope" })).toEqual([]);
  });
});
