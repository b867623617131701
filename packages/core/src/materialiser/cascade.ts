/**
 * Liveness and the tree cascade (docs/design.md §4 rules 3, 4, 6).
 *
 * - Base liveness of a non-segment entity: created, not deleted and, for a
 *   code, not merged away (it has no alias). Segments are done in segments.ts.
 * - Effective parent of a tree node: the nearest live ancestor along the
 *   stored parents, skipping ancestors that are deleted, merged or never
 *   created; null (root) when there is none. The stored parent is kept too.
 *   Only a category (category tree) or a folder (folder tree) can be an
 *   effective parent: a code or source named as a parent counts as one that
 *   was never created (docs/design.md §4, details), and the walk goes on past it.
 *
 * Both are pure functions of the primary tables; they are recomputed only
 * for the entities a batch touched and the subtrees below them.
 */
import type Database from "better-sqlite3";
import type { EntityType } from "../op/op.js";
import { isMergedAway } from "./code-merge.js";
import type { TreeName } from "./dirty.js";
import { isBaseLive } from "./rules/liveness.js";
import { nearestLiveAncestor as nearestLive } from "./rules/tree.js";
import { pluck, prep, prepRaw } from "../op-log/statements.js";
import { subtree } from "./tree-move.js";

/** Recomputes `live` of one non-segment entity; returns whether it changed. */
export function updateBaseLive(db: Database.Database, type: EntityType, id: string): boolean {
  const row = prepRaw(db, "SELECT create_hlc, deleted, live FROM m_entities WHERE type = ? AND id = ?").get(type, id) as
    [string | null, number, number] | undefined;
  if (row === undefined) return false;
  const [createHlc, deleted, wasLive] = row;
  const mergedAway = type === "code" && isMergedAway(db, id);
  const live = isBaseLive({ type, created: createHlc !== null, deleted: deleted === 1, mergedAway }) ? 1 : 0;
  if (live === wasLive) return false;
  prep(db, "UPDATE m_entities SET live = ? WHERE type = ? AND id = ?").run(live, type, id);
  return true;
}

/**
 * Recomputes effective parents of `roots` and everything below them in
 * `tree`; returns the (type, id) of nodes whose effective parent changed.
 */
export function updateEffectiveParents(
  db: Database.Database,
  tree: TreeName,
  roots: ReadonlySet<string>,
): Array<{ type: EntityType; id: string }> {
  if (touchesMostOfTree(db, tree, roots.size)) return updateWholeTree(db, tree);
  const nodes = new Map<string, EntityType>();
  for (const root of roots) {
    // A root already reached lies below an earlier root: its subtree is in `nodes` already.
    if (nodes.has(root)) continue;
    for (const { node, type } of subtree(db, tree, root)) nodes.set(node, type);
  }
  const ancestors = new Map<string, { parent: string | null; live: boolean } | undefined>();
  const lookup = (n: string) => {
    if (!ancestors.has(n)) ancestors.set(n, ancestorRow(db, tree, n));
    return ancestors.get(n);
  };
  const changed: Array<{ type: EntityType; id: string }> = [];
  for (const [node, type] of nodes) {
    const eff = nearestLive(node, parentRow(db, tree, node)?.[0] ?? null, lookup, tree);
    const old = pluck<string | null>(db, "SELECT eff_parent FROM m_entities WHERE type = ? AND id = ?", type, node);
    if (old === undefined || (old ?? null) === eff) continue;
    prep(db, "UPDATE m_entities SET eff_parent = ? WHERE type = ? AND id = ?").run(eff, type, node);
    changed.push({ type, id: node });
  }
  return changed;
}

/**
 * Whether the touched nodes are at least half the tree (a rebuild, a first
 * sync into an empty replica): then one pass over the whole tree is cheaper.
 * Counts at most 2 × touched rows, so the check stays proportional to the
 * batch, never to the project (a catch-up page past a big tree walks only
 * its own subtrees: docs/decisions/0011-incremental-derived-state.md).
 */
function touchesMostOfTree(db: Database.Database, tree: TreeName, touched: number): boolean {
  if (touched <= SMALL_BATCH) return false;
  const limit = 2 * touched;
  const count = pluck<number>(db, "SELECT count(*) FROM (SELECT 1 FROM m_tree_nodes WHERE tree = ? LIMIT ?)", tree, limit) ?? 0;
  return count < limit;
}

/** Up to this many touched nodes the subtree walk is always taken. */
const SMALL_BATCH = 256;

function updateWholeTree(db: Database.Database, tree: TreeName): Array<{ type: EntityType; id: string }> {
  const nodes = prepRaw(
    db,
    `SELECT n.node, n.node_type, n.parent, e.live, e.eff_parent, e.id IS NOT NULL FROM m_tree_nodes n
     LEFT JOIN m_entities e ON e.type = n.node_type AND e.id = n.node WHERE n.tree = ?`,
  ).all(tree) as Array<[string, EntityType, string | null, number | null, string | null, number]>;
  const byId = new Map(nodes.map((row) => [row[0], row]));
  const changed: Array<{ type: EntityType; id: string }> = [];
  const update = prep(db, "UPDATE m_entities SET eff_parent = ? WHERE type = ? AND id = ?");
  const parentType = PARENT_TYPE[tree];
  const lookup = (n: string) => {
    const row = byId.get(n);
    return row === undefined ? undefined : { parent: row[2], live: row[3] === 1 && row[1] === parentType };
  };
  for (const [node, type, parent, , old, hasEntity] of nodes) {
    if (hasEntity === 0) continue;
    const p = nearestLive(node, parent, lookup, tree);
    if ((old ?? null) === p) continue;
    update.run(p, type, node);
    changed.push({ type, id: node });
  }
  return changed;
}

/** A node's stored parent and whether it can be an effective parent (live and of the tree's parent type). */
function ancestorRow(db: Database.Database, tree: TreeName, node: string): { parent: string | null; live: boolean } | undefined {
  const row = parentRow(db, tree, node);
  if (row === undefined) return undefined;
  const [parent, type] = row;
  const live = type === PARENT_TYPE[tree] && pluck<number>(db, "SELECT live FROM m_entities WHERE type = ? AND id = ?", type, node) === 1;
  return { parent, live };
}

/** The one type that can be a parent in each tree (the alias tree has no effective parents). */
const PARENT_TYPE: { readonly [T in TreeName]: EntityType } = { category: "category", folder: "folder", alias: "code" };

function parentRow(db: Database.Database, tree: TreeName, node: string): [string | null, EntityType] | undefined {
  return prepRaw(db, "SELECT parent, node_type FROM m_tree_nodes WHERE tree = ? AND node = ?").get(tree, node) as
    [string | null, EntityType] | undefined;
}
