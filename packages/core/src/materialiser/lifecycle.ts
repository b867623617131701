/**
 * Lifecycle (docs/design.md §4 rule 3): create / delete / restore form one LWW
 * register per entity (create and restore write "live", delete writes
 * "deleted"; the highest HLC wins). Edits to a deleted entity are applied
 * as usual and show again on restore: nothing here touches other tables.
 *
 * Invariants: `create_hlc` is the lowest HLC of the entity's creates (NULL:
 * never created); a row exists for every (type, id) that a create, delete
 * or restore targets (one upsert each, no read-before-write).
 */
import type Database from "better-sqlite3";
import type { EntityType } from "../op/op.js";
import { prep } from "../op-log/statements.js";

export function recordCreate(db: Database.Database, type: EntityType, id: string, hlc: string): void {
  prep(
    db,
    `INSERT INTO m_entities (type, id, create_hlc, life_hlc, deleted) VALUES (@type, @id, @hlc, @hlc, 0)
     ON CONFLICT(type, id) DO UPDATE SET
       create_hlc = CASE WHEN create_hlc IS NULL OR create_hlc > @hlc THEN @hlc ELSE create_hlc END,
       deleted = CASE WHEN life_hlc IS NULL OR life_hlc < @hlc THEN 0 ELSE deleted END,
       life_hlc = CASE WHEN life_hlc IS NULL OR life_hlc < @hlc THEN @hlc ELSE life_hlc END`,
  ).run({ type, id, hlc });
}

export function writeLifecycle(db: Database.Database, type: EntityType, id: string, hlc: string, deleted: boolean): void {
  prep(
    db,
    `INSERT INTO m_entities (type, id, life_hlc, deleted) VALUES (?, ?, ?, ?)
     ON CONFLICT(type, id) DO UPDATE SET life_hlc = excluded.life_hlc, deleted = excluded.deleted
     WHERE life_hlc IS NULL OR life_hlc < excluded.life_hlc`,
  ).run(type, id, hlc, deleted ? 1 : 0);
}
