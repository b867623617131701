/**
 * Tree decisions over a parent map (docs/spec/merge-rules.md rules 4-6), as
 * pure functions of lookups: the cycle check of a move, the nearest live
 * ancestor (effective parent), the end of an alias chain, and the undo/redo
 * of a move log from a late move on (Kleppmann et al.). The materialiser's
 * tree-move.ts and cascade.ts read and write SQLite around them.
 *
 * Every walk guards against a cycle: the trees are acyclic by the cycle
 * rule, so meeting one is a defect and throws.
 */

/** A node's stored parent (null: root, or a node the tree has never seen). */
export type ParentOf = (node: string) => string | null;

/** Whether setting `node`'s parent to `parent` closes a cycle: `parent` is the node or has it as an ancestor. */
export function closesCycle(node: string, parent: string | null, parentOf: ParentOf): boolean {
  const visited = new Set<string>();
  for (let p = parent; p !== null; p = parentOf(p)) {
    if (p === node) return true;
    if (visited.has(p)) throw new Error(`materialiser defect: tree already contains a cycle through ${p}`);
    visited.add(p);
  }
  return false;
}

/**
 * What the walk needs of an ancestor: undefined for a node the tree has
 * never seen; `live` only for a live node of the tree's parent type (a node
 * of another type counts as never created).
 */
export type AncestorLookup = (node: string) => { readonly parent: string | null; readonly live: boolean } | undefined;

/**
 * The nearest live ancestor of `node` along stored parents, skipping ones
 * that are not live (or not of the parent type); null (root) when there is
 * none or the walk reaches a node the tree has never seen.
 */
export function nearestLiveAncestor(node: string, firstParent: string | null, lookup: AncestorLookup, tree = "tree"): string | null {
  const visited = new Set<string>([node]);
  for (let p = firstParent; p !== null;) {
    if (visited.has(p)) throw new Error(`materialiser defect: cycle in ${tree} tree through ${p}`);
    visited.add(p);
    const row = lookup(p);
    if (row === undefined) return null;
    if (row.live) return p;
    p = row.parent;
  }
  return null;
}

/** The end of a code's alias chain (the code itself when not merged). */
export function aliasRoot(code: string, aliasOf: ParentOf): string {
  const visited = new Set<string>();
  let current = code;
  for (let next = aliasOf(current); next !== null; next = aliasOf(current)) {
    if (visited.has(next)) throw new Error(`materialiser defect: alias chain of ${code} has a cycle`);
    visited.add(next);
    current = next;
  }
  return current;
}

export interface LoggedMove {
  readonly hlc: string;
  readonly node: string;
  readonly parent: string | null;
  /** The node's parent before this move, as last decided. */
  readonly oldParent: string | null;
  /** As last decided; a pending move (never decided) is neither. */
  readonly skipped: boolean | "pending";
}

export interface ReplayResult {
  /** Final parents of every node the replayed moves touched. */
  readonly parents: ReadonlyMap<string, string | null>;
  /** Per move (log order): the parent before it and whether it is skipped now. */
  readonly decisions: ReadonlyArray<{ readonly hlc: string; readonly oldParent: string | null; readonly skipped: boolean }>;
}

/**
 * Undo/redo of the log's tail: undoes `log` (every move from the late HLC
 * on, in HLC order) newest first by restoring each applied move's old
 * parent, then redoes it in HLC order, deciding again which moves close a
 * cycle. `stored` is the parent map with all of `log` applied.
 */
export function replayMoves(log: ReadonlyArray<LoggedMove>, stored: ParentOf): ReplayResult {
  const overlay = new Map<string, string | null>();
  const parentOf: ParentOf = (n) => (overlay.has(n) ? (overlay.get(n) ?? null) : stored(n));
  for (let i = log.length - 1; i >= 0; i--) {
    const m = log[i];
    if (m !== undefined && m.skipped === false) overlay.set(m.node, m.oldParent);
  }
  const decisions = log.map((m) => {
    const oldParent = parentOf(m.node);
    const skipped = closesCycle(m.node, m.parent, parentOf);
    if (!skipped) overlay.set(m.node, m.parent);
    return { hlc: m.hlc, oldParent, skipped };
  });
  return { parents: overlay, decisions };
}
