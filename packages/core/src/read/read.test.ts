import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { listEntities, type EntityState } from "../materialiser/index.js";
import { createReplica, type Replica } from "../replica.js";
import { replicaDb } from "../testing/replica-db.js";
import type { TreeNode } from "./tree.js";

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

  it("builds each tree from the tables as the entities read one by one give it: names, colours, nearest live parents, merges", () => {
    const r = fresh();
    const c = r.commands;
    const outer = c.createCategory({ name: "Outer", color: "#111111" });
    const inner = c.createCategory({ name: "Inner", color: "#222222", parent: outer });
    const hope = c.createCode({ name: "hope", color: "#00ff00", parent: inner });
    const fear = c.createCode({ name: "fear", color: "#ff0000", parent: inner });
    const loose = c.createCode({ name: "loose", color: "#0000ff" });
    const folder = c.createFolder({ name: "Interviews" });
    const src = c.importTextSource({ name: "Ann", text: "I hope it works out, but money is tight.", parent: folder });
    c.codeSegment({ code: hope, source: src, start: 2, end: 6 });
    c.codeSegment({ code: fear, source: src, start: 0, end: 1 });
    c.codeSegment({ code: loose, source: src, start: 25, end: 30 });
    c.mergeCodes(fear, hope);
    c.remove("category", inner);
    c.rename("code", loose, "money");
    c.recolour("code", loose, "#abcdef");

    const db = replicaDb(r);
    const one = (kind: "codes" | "sources", branch: "category" | "folder", leaf: "code" | "source"): ReadonlyArray<TreeNode> => {
      const segments = listEntities(db, "segment");
      const nodes = [...listEntities(db, branch), ...listEntities(db, leaf)];
      const build = (parent: string | null): ReadonlyArray<TreeNode> =>
        nodes
          .filter((n: EntityState) => (n.effectiveParent ?? null) === parent)
          .map((n) => {
            const children = build(n.id);
            const own = segments.filter((s) => (kind === "codes" ? s.effectiveCode : s.fields["source"]) === n.id).length;
            const color = n.fields["color"];
            return {
              type: n.type,
              id: n.id,
              name: String(n.fields["name"] ?? ""),
              ...(typeof color === "string" ? { color } : {}),
              segments: children.reduce((sum, child) => sum + child.segments, own),
              children,
            };
          })
          .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
      return build(null);
    };
    expect(r.read.tree("codes")).toEqual(one("codes", "category", "code"));
    expect(r.read.tree("sources")).toEqual(one("sources", "folder", "source"));
    expect(r.read.tree("codes").map((n) => [n.name, n.segments, n.children.map((k) => k.name)])).toEqual([
      ["money", 1, []],
      ["Outer", 2, ["hope"]],
    ]);
    expect(r.read.tree("sources").map((n) => [n.name, n.segments, n.children.map((k) => k.name)])).toEqual([["Interviews", 3, ["Ann"]]]);
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
