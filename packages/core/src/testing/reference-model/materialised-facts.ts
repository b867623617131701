/**
 * Reads a replica's facts (facts.ts) from its materialised tables through
 * the materialiser's public read API only (`listEntities`, `listLinks`,
 * `listConflicts`), so the comparison with the reference model checks what
 * commands and views see.
 */
import type Database from "better-sqlite3";
import { listConflicts, listEntities, listLinks } from "../../materialiser/index.js";
import { ENTITY_TYPES } from "../../op/op.js";
import type { EntityFacts, Facts } from "./facts.js";
import { sortFacts } from "./facts.js";

export function materialisedFacts(db: Database.Database): Facts {
  const entities: Array<EntityFacts> = [];
  for (const type of ENTITY_TYPES) {
    for (const e of listEntities(db, type, { includeDeleted: true })) {
      const { parent: _parent, ...facts } = e;
      entities.push(facts);
    }
  }
  const links = listLinks(db).map((l) => ({ case: l.case, source: l.source, adds: [...l.adds] }));
  return sortFacts({ entities, links, conflicts: listConflicts(db, { includeResolved: true }) });
}
