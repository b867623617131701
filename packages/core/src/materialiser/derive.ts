/**
 * Derived state after a batch of primary effects, in dependency order:
 *   1. alias changes -> merged-away codes and segments whose effective code moved;
 *   2. base liveness of touched entities -> subtrees, segments, names to redo;
 *   3. effective parents of touched subtrees (category and folder trees);
 *   4. segments (effective code, range, liveness, text-removed conflicts);
 *   5. duplicate-name conflicts of the name groups that changed.
 * Each step only reads what earlier steps (or primary effects) settled.
 */
import type Database from "better-sqlite3";
import { updateBaseLive, updateEffectiveParents } from "./cascade.js";
import type { Dirty, TreeName } from "./dirty.js";
import { entityKey, splitEntityKey, treeDirty, treeOf } from "./dirty.js";
import { updateDuplicateNames } from "./names.js";
import { recomputeSegments, segmentIdsOfCode, segmentIdsOfEffCode, segmentIdsOfSource } from "./segments.js";
import { subtree } from "./tree-move.js";

export function derive(db: Database.Database, dirty: Dirty): void {
  deriveAliases(db, dirty);
  deriveLiveness(db, dirty);
  deriveEffectiveParents(db, dirty);
  deriveSegments(db, dirty);
  deriveNames(db, dirty);
}

function deriveAliases(db: Database.Database, dirty: Dirty): void {
  for (const code of dirty.aliasNodes) {
    dirty.lifecycle.add(entityKey("code", code));
    for (const { node } of subtree(db, "alias", code)) {
      for (const segment of segmentIdsOfCode(db, node)) dirty.segments.add(segment);
    }
  }
}

function deriveLiveness(db: Database.Database, dirty: Dirty): void {
  for (const key of dirty.lifecycle) {
    const { type, id } = splitEntityKey(key);
    if (type === "segment") {
      dirty.segments.add(id);
      continue;
    }
    // The entity's row may be new even when its liveness did not change (a
    // delete or a create that loses to a later delete): its effective parent
    // and name key are computed for it either way.
    dirty.names.add(key);
    const tree = treeOf(type);
    if (tree !== undefined) treeDirty(dirty, tree).add(id);
    if (!updateBaseLive(db, type, id)) continue;
    if (type === "code") for (const s of segmentIdsOfEffCode(db, id)) dirty.segments.add(s);
    if (type === "source") for (const s of segmentIdsOfSource(db, id)) dirty.segments.add(s);
  }
}

function deriveEffectiveParents(db: Database.Database, dirty: Dirty): void {
  for (const [tree, roots] of dirty.treeNodes) {
    if (roots.size === 0) continue;
    for (const { type, id } of updateEffectiveParents(db, tree satisfies TreeName, roots)) {
      dirty.names.add(entityKey(type, id));
    }
  }
}

function deriveSegments(db: Database.Database, dirty: Dirty): void {
  const withRange = new Set<string>(dirty.segmentAnchors);
  for (const source of dirty.sourceTexts) {
    for (const s of segmentIdsOfSource(db, source)) {
      withRange.add(s);
      dirty.segments.add(s);
    }
  }
  if (dirty.segments.size > 0) recomputeSegments(db, dirty.segments, withRange);
}

function deriveNames(db: Database.Database, dirty: Dirty): void {
  if (dirty.names.size === 0) return;
  updateDuplicateNames(
    db,
    [...dirty.names].map((key) => ({ ...splitEntityKey(key), created: dirty.lifecycle.has(key) })),
  );
}
