/**
 * Lifecycle (DESIGN.md §4 rule 3): create / delete / restore form one LWW
 * register per entity (create and restore write "live", delete writes
 * "deleted"; the highest HLC wins). Edits to a deleted entity are applied
 * as usual and show again on restore: nothing here touches other tables.
 *
 * Invariants: `create_hlc` is the lowest HLC of the entity's creates (NULL:
 * never created); a row exists for every (type, id) some op targets, and
 * for no other.
 */
import type Database from "better-sqlite3";
import type { EntityType } from "../op/op.js";
import { prep } from "./statements.js";

export function ensureEntity(db: Database.Database, type: EntityType, id: string): void {
  prep(db, "INSERT OR IGNORE INTO m_entities (type, id) VALUES (?, ?)").run(type, id);
}

export function recordCreate(db: Database.Database, type: EntityType, id: string, hlc: string): void {
  prep(
    db,
    "UPDATE m_entities SET create_hlc = ? WHERE type = ? AND id = ? AND (create_hlc IS NULL OR create_hlc > ?)",
  ).run(hlc, type, id, hlc);
  writeLifecycle(db, type, id, hlc, false);
}

export function writeLifecycle(db: Database.Database, type: EntityType, id: string, hlc: string, deleted: boolean): void {
  prep(
    db,
    "UPDATE m_entities SET life_hlc = ?, deleted = ? WHERE type = ? AND id = ? AND (life_hlc IS NULL OR life_hlc < ?)",
  ).run(hlc, deleted ? 1 : 0, type, id, hlc);
}
