/**
 * The code tree (categories and codes) and the source tree (folders and
 * sources) as researchers see them: live nodes under their effective
 * (nearest live) parent, children sorted by name, each with its count of
 * live segments. A code's count includes segments of codes merged into it,
 * since a segment counts under its effective code (docs/design.md §4 rule 6).
 */
import type Database from "better-sqlite3";
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

const TREE_TYPES: Readonly<Record<TreeKind, readonly [EntityType, EntityType]>> = {
  codes: ["category", "code"],
  sources: ["folder", "source"],
};

/**
 * The tree `kind` of the materialised tables in `db` (the live ones, or a
 * past state restored from a checkpoint). Nodes and counts are read in SQL,
 * one query each: reading every node as an entity (`getEntity`: its texts
 * decoded, its alias chain walked) took ~1 s for the 17,907 codes of a
 * 1,000,000-op project.
 */
export function treeOf(db: Database.Database, kind: TreeKind): ReadonlyArray<TreeNode> {
  return buildTree(liveTreeEntities(db, kind), liveSegmentCounts(db, kind));
}

/** A live node of a tree as `buildTree` needs it. */
interface TreeEntity {
  readonly type: EntityType;
  readonly id: string;
  /** Nearest live ancestor (null at the top). */
  readonly effectiveParent: string | null;
  /** The `name` and `color` registers as JSON (null when never set). */
  readonly name: string | null;
  readonly color: string | null;
}

/** `own`: each node's own live segments. */
function buildTree(nodes: ReadonlyArray<TreeEntity>, own: ReadonlyMap<string, number>): ReadonlyArray<TreeNode> {
  const byParent = new Map<string | null, Array<TreeEntity>>();
  for (const node of nodes) {
    const siblings = byParent.get(node.effectiveParent);
    if (siblings === undefined) byParent.set(node.effectiveParent, [node]);
    else siblings.push(node);
  }
  const build = (parent: string | null): ReadonlyArray<TreeNode> =>
    (byParent.get(parent) ?? []).map((node) => toNode(node, build(node.id), own.get(node.id) ?? 0)).sort(byName);
  return build(null);
}

function toNode(node: TreeEntity, children: ReadonlyArray<TreeNode>, own: number): TreeNode {
  const name = node.name === null ? null : (JSON.parse(node.name) as unknown);
  const color = node.color === null ? null : (JSON.parse(node.color) as unknown);
  const segments = children.reduce((sum, child) => sum + child.segments, own);
  return {
    type: node.type,
    id: node.id,
    name: String(name ?? ""),
    ...(typeof color === "string" ? { color } : {}),
    segments,
    children,
  };
}

/** Created, live entities of the tree's two types with what `getEntity` would give as their name, colour and effective parent. */
function liveTreeEntities(db: Database.Database, kind: TreeKind): Array<TreeEntity> {
  const register = (field: string): string =>
    `(SELECT value FROM m_registers r WHERE r.type = e.type AND r.id = e.id AND r.field = '${field}')`;
  const rows = prepRaw(
    db,
    `SELECT e.type, e.id, e.eff_parent, ${register("name")}, ${register("color")} FROM m_entities e
     WHERE e.type IN (?, ?) AND e.create_hlc IS NOT NULL AND e.live = 1 ORDER BY e.type, e.id`,
  ).all(...TREE_TYPES[kind]) as Array<[EntityType, string, string | null, string | null, string | null]>;
  return rows.map(([type, id, effectiveParent, name, color]) => ({ type, id, effectiveParent, name, color }));
}

/**
 * Live segments per effective code (codes) or per source (sources), counted
 * in SQL: `m_segments` holds both and the segment's liveness, so no segment
 * is read as an entity (at 1,000,000 ops that took ~1.5 s of a tree).
 */
function liveSegmentCounts(db: Database.Database, kind: TreeKind): Map<string, number> {
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
