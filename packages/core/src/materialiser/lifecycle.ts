/**
 * Lifecycle (docs/design.md §4 rule 3): create / delete / restore form one LWW
 * register per entity (create and restore write "live", delete writes
 * "deleted"; the highest HLC wins). Edits to a deleted entity are applied
 * as usual and show again on restore: nothing here touches other tables.
 *
 * Invariants: `create_hlc` is the lowest HLC of the entity's creates (NULL:
 * never created); a row exists for every (type, id) that a create, delete
 * or restore targets. The decision is `rules/lifecycle.ts`; this file only
 * reads and writes the row.
 */
import type Database from "better-sqlite3";
import type { EntityType } from "../op/op.js";
import { applyLifecycle, NO_LIFECYCLE } from "./rules/lifecycle.js";
import type { LifecycleEvent } from "./rules/lifecycle.js";
import { prep, prepRaw } from "../op-log/statements.js";

export function recordCreate(db: Database.Database, type: EntityType, id: string, hlc: string): void {
  record(db, type, id, { kind: "create", hlc });
}

export function writeLifecycle(db: Database.Database, type: EntityType, id: string, hlc: string, deleted: boolean): void {
  record(db, type, id, { kind: deleted ? "delete" : "restore", hlc });
}

function record(db: Database.Database, type: EntityType, id: string, event: LifecycleEvent): void {
  const row = prepRaw(db, "SELECT create_hlc, life_hlc, deleted FROM m_entities WHERE type = ? AND id = ?").get(type, id) as
    [string | null, string | null, number] | undefined;
  const before = row === undefined ? NO_LIFECYCLE : { createHlc: row[0], lifeHlc: row[1], deleted: row[2] === 1 };
  const after = applyLifecycle(before, event);
  if (row !== undefined && after === before) return;
  prep(
    db,
    `INSERT INTO m_entities (type, id, create_hlc, life_hlc, deleted) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT(type, id) DO UPDATE SET create_hlc = excluded.create_hlc, life_hlc = excluded.life_hlc, deleted = excluded.deleted`,
  ).run(type, id, after.createHlc, after.lifeHlc, after.deleted ? 1 : 0);
}
