/**
 * The code tree (categories and codes) and the source tree (folders and
 * sources) as researchers see them: live nodes under their effective
 * (nearest live) parent, children sorted by name, each with its count of
 * live segments. A code's count includes segments of codes merged into it,
 * since a segment counts under its effective code (docs/design.md §4 rule 6).
 */
import type Database from "better-sqlite3";
import type { EntityState } from "../materialiser/read.js";
import { prepRaw } from "../op-log/statements.js";
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

/** `nodes`: the live entities of the tree's two types; `own`: each node's own live segments (`liveSegmentCounts`). */
export function buildTree(nodes: ReadonlyArray<EntityState>, own: ReadonlyMap<string, number>): ReadonlyArray<TreeNode> {
  const byParent = new Map<string | null, Array<EntityState>>();
  for (const node of nodes) {
    const parent = node.effectiveParent ?? null;
    const siblings = byParent.get(parent);
    if (siblings === undefined) byParent.set(parent, [node]);
    else siblings.push(node);
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

/**
 * Live segments per effective code (codes) or per source (sources), counted
 * in SQL: `m_segments` holds both and the segment's liveness, so no segment
 * is read as an entity (at 1,000,000 ops that took ~1.5 s of a tree).
 */
export function liveSegmentCounts(db: Database.Database, kind: TreeKind): Map<string, number> {
  const key = kind === "codes" ? "eff_code" : "source";
  const rows = prepRaw(
    db,
    `SELECT s.${key}, count(*) FROM m_segments s JOIN m_entities e ON e.type = 'segment' AND e.id = s.id
     WHERE s.live = 1 AND e.create_hlc IS NOT NULL AND s.${key} IS NOT NULL GROUP BY s.${key}`,
  ).all() as Array<[string, number]>;
  return new Map(rows);
}

function byName(a: TreeNode, b: TreeNode): number {
  return a.name.localeCompare(b.name) || a.id.localeCompare(b.id);
}
