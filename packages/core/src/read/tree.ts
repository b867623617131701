/**
 * The code tree (categories and codes) and the source tree (folders and
 * sources) as researchers see them: live nodes under their effective
 * (nearest live) parent, children sorted by name, each with its count of
 * live segments. A code's count includes segments of codes merged into it,
 * since a segment counts under its effective code (docs/design.md §4 rule 6).
 */
import type { EntityState } from "../materialiser/read.js";
import type { EntityType } from "../op/op.js";

export type TreeKind = "codes" | "sources";

export interface TreeNode {
  readonly type: EntityType;
  readonly id: string;
  readonly name: string;
  /** Codes and categories only. */
  readonly color?: string;
  /** Live segments under this node and its descendants. */
  readonly segments: number;
  readonly children: ReadonlyArray<TreeNode>;
}

export const TREE_TYPES: Readonly<Record<TreeKind, readonly [EntityType, EntityType]>> = {
  codes: ["category", "code"],
  sources: ["folder", "source"],
};

/** `nodes`: the live entities of the tree's two types; `segments`: live segments. */
export function buildTree(
  nodes: ReadonlyArray<EntityState>,
  segments: ReadonlyArray<EntityState>,
  kind: TreeKind,
): ReadonlyArray<TreeNode> {
  const own = ownCounts(segments, kind);
  const byParent = new Map<string | null, Array<EntityState>>();
  for (const node of nodes) {
    const parent = node.effectiveParent ?? null;
    byParent.set(parent, [...(byParent.get(parent) ?? []), node]);
  }
  const build = (parent: string | null): ReadonlyArray<TreeNode> =>
    (byParent.get(parent) ?? []).map((node) => toNode(node, build(node.id), own.get(node.id) ?? 0)).sort(byName);
  return build(null);
}

function toNode(node: EntityState, children: ReadonlyArray<TreeNode>, own: number): TreeNode {
  const color = node.fields["color"];
  const segments = children.reduce((sum, child) => sum + child.segments, own);
  return {
    type: node.type,
    id: node.id,
    name: String(node.fields["name"] ?? ""),
    ...(typeof color === "string" ? { color } : {}),
    segments,
    children,
  };
}

function ownCounts(segments: ReadonlyArray<EntityState>, kind: TreeKind): Map<string, number> {
  const counts = new Map<string, number>();
  for (const segment of segments) {
    const key = kind === "codes" ? segment.effectiveCode : segment.fields["source"];
    if (typeof key === "string") counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

function byName(a: TreeNode, b: TreeNode): number {
  return a.name.localeCompare(b.name) || a.id.localeCompare(b.id);
}
