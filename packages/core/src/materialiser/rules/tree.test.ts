/** The pure tree decisions over a parent map (rules/tree.ts). */
import { describe, expect, it } from "vitest";
import { aliasRoot, closesCycle, nearestLiveAncestor, replayMoves } from "./tree.js";
import type { LoggedMove } from "./tree.js";

const mapOf = (entries: Record<string, string | null>) => (n: string) => entries[n] ?? null;

describe("tree decisions", () => {
  it("a move closes a cycle when the new parent is the node or below it", () => {
    const parents = mapOf({ b: "a", c: "b" });
    expect(closesCycle("a", "c", parents)).toBe(true);
    expect(closesCycle("a", "a", parents)).toBe(true);
    expect(closesCycle("c", "a", parents)).toBe(false);
    expect(closesCycle("a", null, parents)).toBe(false);
  });

  it("a cycle already in the map is a defect and throws", () => {
    expect(() => closesCycle("x", "a", mapOf({ a: "b", b: "a" }))).toThrow(/defect/);
  });

  it("the effective parent skips ancestors that are not live and stops at a node the tree never saw", () => {
    const rows: Record<string, { parent: string | null; live: boolean }> = {
      a: { parent: null, live: true },
      b: { parent: "a", live: false },
      c: { parent: "b", live: false },
    };
    expect(nearestLiveAncestor("x", "c", (n) => rows[n])).toBe("a");
    expect(nearestLiveAncestor("x", "unknown", (n) => rows[n])).toBe(null);
    expect(nearestLiveAncestor("x", null, (n) => rows[n])).toBe(null);
    rows["a"] = { parent: null, live: false };
    expect(nearestLiveAncestor("x", "c", (n) => rows[n])).toBe(null);
  });

  it("an alias chain ends at the first code without an alias", () => {
    expect(aliasRoot("a", mapOf({ a: "b", b: "c" }))).toBe("c");
    expect(aliasRoot("c", mapOf({ a: "b", b: "c" }))).toBe("c");
  });

  it("undo/redo from a late move re-decides which later moves are skipped", () => {
    // Applied: m2 (a under b), then m3 (b under a) was skipped as a cycle.
    // A late m1 moves a under c, then m2's undo restores a -> null, redo re-decides.
    const log: Array<LoggedMove> = [
      { hlc: "1", node: "a", parent: "c", oldParent: null, skipped: "pending" },
      { hlc: "2", node: "a", parent: "b", oldParent: null, skipped: false },
      { hlc: "3", node: "b", parent: "a", oldParent: null, skipped: true },
    ];
    const { parents, decisions } = replayMoves(log, mapOf({ a: "b" }));
    expect(decisions).toEqual([
      { hlc: "1", oldParent: null, skipped: false },
      { hlc: "2", oldParent: "c", skipped: false },
      { hlc: "3", oldParent: null, skipped: true },
    ]);
    expect(parents.get("a")).toBe("b");
  });

  it("a late move placed before an applied one can make that one skipped", () => {
    // Applied: m2 (b under a). Late m1 puts a under b first, so m2 now closes a cycle.
    const log: Array<LoggedMove> = [
      { hlc: "1", node: "a", parent: "b", oldParent: null, skipped: "pending" },
      { hlc: "2", node: "b", parent: "a", oldParent: null, skipped: false },
    ];
    const { parents, decisions } = replayMoves(log, mapOf({ b: "a" }));
    expect(decisions.map((d) => d.skipped)).toEqual([false, true]);
    expect(parents.get("a")).toBe("b");
    expect(parents.get("b")).toBe(null);
  });
});
