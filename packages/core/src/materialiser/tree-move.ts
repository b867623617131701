/**
 * Tree moves (docs/design.md §4 rule 5), also used for code-merge aliases (rule 6).
 *
 * A tree is a parent map over node ids plus its move log `m_moves` in HLC
 * order. Each move records the node's parent before it (`old_parent`) and
 * whether it was skipped because, at its place in HLC order, it would have
 * closed a cycle (reported as `cycle-skipped`). The cycle check walks the
 * parent links of every node in the tree, deleted or never created ones
 * included.
 *
 * Incremental (Kleppmann et al., "A highly-available move operation for
 * replicated trees"): moves newer than the log's last entry apply directly;
 * a late move undoes the logged moves from its HLC on (newest first, restoring
 * `old_parent`), inserts itself, and redoes them in HLC order. Only moves at
 * or after the late HLC are touched, never the whole project.
 *
 * Invariants: the stored parent map equals a replay of the whole log in HLC
 * order; it is acyclic (a cycle found while walking is a defect: we throw).
 */
import type Database from "better-sqlite3";
import type { EntityType } from "../op/op.js";
import { conflictId, deleteConflict, putConflict } from "./conflicts.js";
import type { TreeName } from "./dirty.js";
import { closesCycle, replayMoves } from "./rules/tree.js";
import { pluck, prep, prepRaw } from "../op-log/statements.js";

export { closesCycle } from "./rules/tree.js";

export interface Move {
  /** The op's HLC (= its id). */
  readonly hlc: string;
  readonly node: string;
  readonly nodeType: EntityType;
  readonly parent: string | null;
}

/** Flags a node row as existing (a node with no row has parent null). */
export function ensureNode(db: Database.Database, tree: TreeName, node: string, nodeType: EntityType): void {
  prep(db, "INSERT OR IGNORE INTO m_tree_nodes (tree, node, node_type, parent) VALUES (?, ?, ?, NULL)").run(tree, node, nodeType);
}

/**
 * Applies moves of one tree (any order, duplicates ignored); adds nodes whose
 * parent changed to `changed`. Moves newer than the log apply directly; a
 * late move of a node that no move ever made a parent (a leaf: codes,
 * sources, most categories) only touches that node's own moves; any other
 * late move undoes and redoes the log from its HLC.
 */
export function applyMoves(db: Database.Database, tree: TreeName, moves: ReadonlyArray<Move>, changed: Set<string>): void {
  const fresh = freshMoves(db, tree, moves);
  if (fresh.length === 0) return;
  let last = pluck<string | null>(db, "SELECT max(hlc) FROM m_moves WHERE tree = ?", tree) ?? null;
  const pending: Array<Move> = [];
  for (const m of fresh) {
    if (last === null || m.hlc > last) {
      applyInOrder(db, tree, m, changed);
      last = m.hlc;
    } else if (!isEverParent(db, tree, m.node)) {
      // Pending moves (not yet in the log) are older than m: their replay below redoes m anyway.
      applyLateLeaf(db, tree, m, changed);
    } else pending.push(m);
  }
  const first = pending[0];
  if (first === undefined) return;
  for (const m of pending) {
    ensureNode(db, tree, m.node, m.nodeType);
    insertMove(db, tree, m, null, PENDING);
  }
  replayFrom(db, tree, first.hlc, changed);
}

/** The node's stored parent (null for roots and unknown nodes). */
export function parentOf(db: Database.Database, tree: TreeName, node: string): string | null {
  return pluck<string | null>(db, "SELECT parent FROM m_tree_nodes WHERE tree = ? AND node = ?", tree, node) ?? null;
}

/** `node` and every node below it (stored parents). */
export function subtree(db: Database.Database, tree: TreeName, node: string): Array<{ node: string; type: EntityType }> {
  const rows = prepRaw(
    db,
    `WITH RECURSIVE sub(node, type) AS (
       SELECT ?, (SELECT node_type FROM m_tree_nodes WHERE tree = ? AND node = ?)
       UNION SELECT n.node, n.node_type FROM sub CROSS JOIN m_tree_nodes n INDEXED BY m_tree_nodes_parent
         WHERE n.tree = ? AND n.parent = sub.node
     ) SELECT node, type FROM sub`,
  ).all(node, tree, node, tree) as Array<[string, EntityType | null]>;
  return rows.filter((r): r is [string, EntityType] => r[1] !== null).map(([n, type]) => ({ node: n, type }));
}

const PENDING = -1;

function freshMoves(db: Database.Database, tree: TreeName, moves: ReadonlyArray<Move>): Array<Move> {
  const exists = prep(db, "SELECT 1 FROM m_moves WHERE tree = ? AND hlc = ?");
  const byHlc = new Map<string, Move>();
  for (const m of moves) if (!byHlc.has(m.hlc) && exists.get(tree, m.hlc) === undefined) byHlc.set(m.hlc, m);
  return [...byHlc.values()].sort((a, b) => (a.hlc < b.hlc ? -1 : 1));
}

function applyInOrder(db: Database.Database, tree: TreeName, m: Move, changed: Set<string>): void {
  const old = parentOf(db, tree, m.node);
  const skipped = closesCycle(m.node, m.parent, (n) => parentOf(db, tree, n));
  insertMove(db, tree, m, old, skipped ? 1 : 0);
  if (skipped || old === m.parent) ensureNode(db, tree, m.node, m.nodeType);
  else {
    upsertParent(db, tree, m);
    changed.add(m.node);
  }
  if (skipped) reportCycle(db, tree, m);
}

/**
 * A late move of a node no logged move uses as a parent: no walk can pass
 * through the node, so the move closes a cycle only if it is a move under
 * itself, and it changes nothing but the node's own move chain.
 */
function applyLateLeaf(db: Database.Database, tree: TreeName, m: Move, changed: Set<string>): void {
  const skipped = m.parent === m.node;
  const before = prepRaw(
    db,
    "SELECT parent FROM m_moves INDEXED BY m_moves_node WHERE tree = ? AND node = ? AND hlc < ? AND skipped = 0 ORDER BY hlc DESC LIMIT 1",
  ).get(tree, m.node, m.hlc) as [string | null] | undefined;
  insertMove(db, tree, m, before?.[0] ?? null, skipped ? 1 : 0);
  if (skipped) {
    ensureNode(db, tree, m.node, m.nodeType);
    return reportCycle(db, tree, m);
  }
  prep(
    db,
    `UPDATE m_moves SET old_parent = ? WHERE tree = ? AND hlc =
       (SELECT hlc FROM m_moves INDEXED BY m_moves_node WHERE tree = ? AND node = ? AND hlc > ? ORDER BY hlc LIMIT 1)`,
  ).run(m.parent, tree, tree, m.node, m.hlc);
  const overridden = pluck<number>(
    db,
    "SELECT 1 FROM m_moves INDEXED BY m_moves_node WHERE tree = ? AND node = ? AND hlc > ? AND skipped = 0 LIMIT 1",
    tree,
    m.node,
    m.hlc,
  );
  if (overridden !== undefined || parentOf(db, tree, m.node) === m.parent) return ensureNode(db, tree, m.node, m.nodeType);
  upsertParent(db, tree, m);
  changed.add(m.node);
}

function isEverParent(db: Database.Database, tree: TreeName, node: string): boolean {
  return (
    pluck<number>(db, "SELECT 1 FROM m_moves INDEXED BY m_moves_parent WHERE tree = ? AND parent = ? LIMIT 1", tree, node) !== undefined
  );
}

function upsertParent(db: Database.Database, tree: TreeName, m: Move): void {
  prep(
    db,
    `INSERT INTO m_tree_nodes (tree, node, node_type, parent) VALUES (?, ?, ?, ?)
     ON CONFLICT(tree, node) DO UPDATE SET parent = excluded.parent`,
  ).run(tree, m.node, m.nodeType, m.parent);
}

interface LoggedMove {
  readonly hlc: string;
  readonly node: string;
  readonly nodeType: EntityType;
  readonly parent: string | null;
  readonly oldParent: string | null;
  readonly skipped: number;
}

function replayFrom(db: Database.Database, tree: TreeName, from: string, changed: Set<string>): void {
  const log = (
    prepRaw(db, "SELECT hlc, node, node_type, parent, old_parent, skipped FROM m_moves WHERE tree = ? AND hlc >= ? ORDER BY hlc").all(
      tree,
      from,
    ) as Array<[string, string, EntityType, string | null, string | null, number]>
  ).map(([hlc, node, nodeType, parent, oldParent, skipped]): LoggedMove => ({ hlc, node, nodeType, parent, oldParent, skipped }));
  const { parents, decisions } = replayMoves(
    log.map((m) => ({ ...m, skipped: m.skipped === PENDING ? "pending" : m.skipped === 1 })),
    (n) => parentOf(db, tree, n),
  );
  decisions.forEach((d, i) => {
    const m = log[i];
    if (m !== undefined) record(db, tree, m, d.oldParent, d.skipped ? 1 : 0);
  });
  for (const [node, parent] of parents) {
    if (parentOf(db, tree, node) !== parent) {
      setParent(db, tree, node, parent);
      changed.add(node);
    }
  }
}

/** Stores a redone move's decision and updates its conflict. */
function record(db: Database.Database, tree: TreeName, m: LoggedMove, old: string | null, skipped: number): void {
  if (m.oldParent !== old || m.skipped !== skipped) {
    prep(db, "UPDATE m_moves SET old_parent = ?, skipped = ? WHERE tree = ? AND hlc = ?").run(old, skipped, tree, m.hlc);
  }
  if (skipped === 1 && m.skipped !== 1) reportCycle(db, tree, m);
  if (skipped === 0 && m.skipped === 1) deleteConflict(db, conflictId("cycle-skipped", [m.hlc]));
}

function insertMove(db: Database.Database, tree: TreeName, m: Move, old: string | null, skipped: number): void {
  prep(db, "INSERT INTO m_moves (tree, hlc, node, node_type, parent, old_parent, skipped) VALUES (?, ?, ?, ?, ?, ?, ?)").run(
    tree,
    m.hlc,
    m.node,
    m.nodeType,
    m.parent,
    old,
    skipped,
  );
}

function setParent(db: Database.Database, tree: TreeName, node: string, parent: string | null): void {
  prep(db, "UPDATE m_tree_nodes SET parent = ? WHERE tree = ? AND node = ?").run(parent, tree, node);
}

function reportCycle(db: Database.Database, tree: TreeName, m: Pick<Move, "hlc" | "node" | "nodeType" | "parent">): void {
  putConflict(db, {
    id: conflictId("cycle-skipped", [m.hlc]),
    kind: "cycle-skipped",
    key: tree,
    type: m.nodeType,
    entity: m.node,
    detail: { tree, op: m.hlc, parent: m.parent, merge: tree === "alias" },
  });
}
