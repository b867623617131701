/**
 * Duplicate names (docs/design.md §4 rule 7): codes project-wide, categories per
 * (effective) parent, sources and cases project-wide. Names compare trimmed,
 * NFC-normalised and lower-cased. Both entities survive; every pair of live
 * entities sharing a scope and a name is a `duplicate-name` conflict whose id
 * hashes the two entities' create ops, so it keeps its id (and a `resolve`
 * keeps hiding it) across renames that keep the pair in conflict.
 *
 * m_entities.dup_key = JSON [scope, normalised name] while the entity is
 * live and named, else NULL; conflicts are recomputed per changed key.
 */
import type Database from "better-sqlite3";
import type { EntityType } from "../op/op.js";
import { conflictId, deleteConflictsByKey, putConflict } from "./conflicts.js";
import { duplicateNameKey, duplicatePairs, NAMED_TYPES } from "./rules/names.js";
import { pluck, prep, prepRaw } from "../op-log/statements.js";

export { normaliseName } from "./rules/names.js";

/**
 * Updates the entity's dup_key and, when it changed, adds its old and new
 * groups to `groups`; with `created` (its lifecycle changed: its create op,
 * which names its conflicts, may be new) the group even when unchanged. A
 * rename that keeps the normalised name, or a recolour, recomputes nothing.
 */
export function updateDupKey(db: Database.Database, type: EntityType, id: string, groups: Set<string>, created: boolean): void {
  if (!NAMED_TYPES.has(type)) return;
  const row = prepRaw(db, "SELECT live, eff_parent, dup_key FROM m_entities WHERE type = ? AND id = ?").get(type, id) as
    [number, string | null, string | null] | undefined;
  if (row === undefined) return;
  const [live, effParent, old] = row;
  const key = duplicateNameKey({ type, live: live === 1, effectiveParent: effParent, name: readName(db, type, id) });
  if (key !== null && (created || key !== old)) groups.add(JSON.stringify([type, key]));
  if (key === old) return;
  prep(db, "UPDATE m_entities SET dup_key = ? WHERE type = ? AND id = ?").run(key, type, id);
  if (old !== null) groups.add(JSON.stringify([type, old]));
}

/** Re-derives the duplicate-name conflicts of one group (JSON [type, dup_key]). */
export function recomputeDupGroup(db: Database.Database, group: string): void {
  const [type, key] = JSON.parse(group) as [EntityType, string];
  deleteConflictsByKey(db, "duplicate-name", group);
  const members = prepRaw(
    db,
    "SELECT id, create_hlc FROM m_entities INDEXED BY m_entities_dup WHERE type = ? AND dup_key = ? ORDER BY id",
  ).all(type, key) as Array<[string, string]>;
  const [scope, name] = JSON.parse(key) as [string, string];
  for (const pair of duplicatePairs(members.map(([id, createHlc]) => ({ id, createHlc })))) {
    putConflict(db, {
      id: conflictId("duplicate-name", [...pair.creates]),
      kind: "duplicate-name",
      key: group,
      type,
      entity: pair.entities[0],
      detail: { name, scope: scope === "" ? null : scope, entities: [...pair.entities] },
    });
  }
}

function readName(db: Database.Database, type: EntityType, id: string): string | undefined {
  const json = pluck<string>(db, "SELECT value FROM m_registers WHERE type = ? AND id = ? AND field = 'name'", type, id);
  if (json === undefined) return undefined;
  const value = JSON.parse(json) as unknown;
  return typeof value === "string" ? value : undefined;
}
