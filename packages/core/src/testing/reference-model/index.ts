/**
 * An independent reference model of the merge rules (docs/spec/merge-rules.md,
 * "Reference model"): replay-only and in memory — de-duplicate the op set,
 * sort it by HLC, fold, derive. It shares no code with the SQLite
 * materialiser (only the op types and Yjs), so a rule that the materialiser
 * gets wrong but deterministically shows up as a difference in `Facts`.
 * `materialisedFacts` reads the same facts from a replica's tables through
 * the materialiser's public read API.
 */
import type { Op } from "../../op/op.js";
import { deriveConflicts } from "./conflicts.js";
import { deriveEntities, deriveLinks } from "./derive.js";
import type { Facts } from "./facts.js";
import { sortFacts } from "./facts.js";
import { foldOps } from "./fold.js";

export type { ConflictFacts, EntityFacts, Facts, LinkFacts, SegmentRange } from "./facts.js";
export { referenceConflictId } from "./conflicts.js";
export { materialisedFacts } from "./materialised-facts.js";

/** The facts a replica holding exactly `ops` (any order, duplicates allowed) must show. */
export function referenceFacts(ops: ReadonlyArray<Op>): Facts {
  const folded = foldOps(ops);
  const derived = deriveEntities(folded);
  const facts = sortFacts({ entities: derived.entities, links: deriveLinks(folded), conflicts: deriveConflicts(derived) });
  for (const fields of folded.texts.values()) for (const doc of fields.values()) doc.destroy();
  return facts;
}
