/**
 * What one `applyOps` batch touched, so the derived state (liveness,
 * effective parents, segments, duplicate names) is recomputed only for the
 * entities it can have changed. Primary effects fill it; `derive` drains it.
 */
import type { EntityType } from "../op/op.js";

export type TreeName = "category" | "folder" | "alias";

export interface Dirty {
  /** Entity keys (`entityKey`) whose base liveness may have changed. */
  readonly lifecycle: Set<string>;
  /** Per tree: nodes whose stored parent changed (their subtrees need new effective parents). */
  readonly treeNodes: Map<TreeName, Set<string>>;
  /** Codes whose alias (merge target) changed. */
  readonly aliasNodes: Set<string>;
  /** Segment ids whose effective code, liveness or range may have changed. */
  readonly segments: Set<string>;
  /** Segments whose anchors were (re)written by a create: resolve them again. */
  readonly segmentAnchors: Set<string>;
  /** Sources whose `content` text changed: all their segment ranges move. */
  readonly sourceTexts: Set<string>;
  /** Entity keys whose duplicate-name key may have changed. */
  readonly names: Set<string>;
}

export function makeDirty(): Dirty {
  return {
    lifecycle: new Set(),
    treeNodes: new Map(),
    aliasNodes: new Set(),
    segments: new Set(),
    segmentAnchors: new Set(),
    sourceTexts: new Set(),
    names: new Set(),
  };
}

export function treeDirty(dirty: Dirty, tree: TreeName): Set<string> {
  if (tree === "alias") return dirty.aliasNodes;
  let set = dirty.treeNodes.get(tree);
  if (set === undefined) {
    set = new Set();
    dirty.treeNodes.set(tree, set);
  }
  return set;
}

export function entityKey(type: EntityType, id: string): string {
  return `${type}\u0000${id}`;
}

export function splitEntityKey(key: string): { readonly type: EntityType; readonly id: string } {
  const i = key.indexOf("\u0000");
  return { type: key.slice(0, i) as EntityType, id: key.slice(i + 1) };
}

/** The tree a type's `parent` lives in: codes hang in the category tree, sources in the folder tree. */
export function treeOf(type: EntityType): TreeName | undefined {
  switch (type) {
    case "category":
    case "code":
      return "category";
    case "folder":
    case "source":
      return "folder";
    default:
      return undefined;
  }
}
