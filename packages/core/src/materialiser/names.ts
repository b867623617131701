/**
 * Duplicate names (docs/design.md §4 rule 7): codes project-wide, categories per
 * (effective) parent, sources and cases project-wide. Names compare trimmed,
 * NFC-normalised and lower-cased. Both entities survive; every pair of live
 * entities sharing a scope and a name is a `duplicate-name` conflict whose id
 * hashes the two entities' create ops, so it keeps its id (and a `resolve`
 * keeps hiding it) across renames that keep the pair in conflict.
 *
 * m_entities.dup_key = JSON [scope, normalised name] while the entity is
 * live and named, else NULL; conflicts are recomputed per changed key,
 * a page of candidates at a time (docs/decisions/0018).
 */
import type Database from "better-sqlite3";
import type { EntityType } from "../op/op.js";
import { conflictId, deleteConflict, putConflict, type ConflictRow } from "./conflicts.js";
import { forEachChunk } from "./json-rows.js";
import { duplicateNameKey, duplicatePairs, NAMED_TYPES } from "./rules/names.js";
import { prep, prepRaw } from "../op-log/statements.js";

export { normaliseName } from "./rules/names.js";

/** An entity whose name key may have changed; `created`: its lifecycle changed (its create op, which names its conflicts, may be new). */
export interface NameCandidate {
  readonly type: EntityType;
  readonly id: string;
  readonly created: boolean;
}

/**
 * Updates the dup_key of each candidate and re-derives the duplicate-name
 * conflicts of every group a key left or joined (with `created`, its group
 * even when the key is unchanged). A rename that keeps the normalised name,
 * or a recolour, recomputes nothing. Set-based: the candidates' rows, the
 * groups' members and their present conflicts are read in one statement
 * each per chunk, and only the conflicts that appear or go are written.
 */
export function updateDuplicateNames(db: Database.Database, candidates: ReadonlyArray<NameCandidate>): void {
  const named = candidates.filter((c) => NAMED_TYPES.has(c.type));
  const groups = new Map<string, { readonly type: EntityType; readonly key: string }>();
  const addGroup = (type: EntityType, key: string): void => {
    groups.set(JSON.stringify([type, key]), { type, key });
  };
  const changed: Array<[EntityType, string, string | null]> = [];
  forEachChunk(
    named.map((c) => [c.type, c.id]),
    (json, from) => {
      const rows = prepRaw(
        db,
        `SELECT j.key, e.live, e.eff_parent, e.dup_key, r.value FROM json_each(?) j
         JOIN m_entities e ON e.type = j.value ->> 0 AND e.id = j.value ->> 1
         LEFT JOIN m_registers r ON r.type = e.type AND r.id = e.id AND r.field = 'name'`,
      ).all(json) as Array<[number, number, string | null, string | null, string | null]>;
      for (const [index, live, effParent, old, nameJson] of rows) {
        const { type, id, created } = named[from + index]!;
        const key = duplicateNameKey({ type, live: live === 1, effectiveParent: effParent, name: nameOf(nameJson) });
        if (key !== null && (created || key !== old)) addGroup(type, key);
        if (key === old) continue;
        changed.push([type, id, key]);
        if (old !== null) addGroup(type, old);
      }
    },
  );
  forEachChunk(changed, (json) =>
    prep(
      db,
      `UPDATE m_entities SET dup_key = j.value ->> 2 FROM json_each(?) j
       WHERE m_entities.type = j.value ->> 0 AND m_entities.id = j.value ->> 1`,
    ).run(json),
  );
  recomputeDupGroups(db, [...groups.keys()].sort(), groups);
}

function recomputeDupGroups(
  db: Database.Database,
  names: ReadonlyArray<string>,
  groups: ReadonlyMap<string, { readonly type: EntityType; readonly key: string }>,
): void {
  const stale: Array<string> = [];
  const fresh: Array<ConflictRow> = [];
  forEachChunk(names, (json) => {
    const members = new Map<string, Array<{ id: string; createHlc: string }>>();
    const rows = prepRaw(
      db,
      `SELECT j.value, e.id, e.create_hlc FROM json_each(?) j
       JOIN m_entities e INDEXED BY m_entities_dup ON e.type = j.value ->> 0 AND e.dup_key = j.value ->> 1`,
    ).all(json) as Array<[string, string, string]>;
    for (const [group, id, createHlc] of rows) {
      let list = members.get(group);
      if (list === undefined) members.set(group, (list = []));
      list.push({ id, createHlc });
    }
    // A row is kept when the same id is wanted in the same group: the pair's
    // creates name the id and the group names the rest of the row.
    const present = new Set<string>();
    const existing = prepRaw(
      db,
      "SELECT id, key FROM m_conflicts WHERE kind = 'duplicate-name' AND key IN (SELECT value FROM json_each(?))",
    ).all(json) as Array<[string, string]>;
    for (const [id, group] of existing) present.add(`${id}\n${group}`);
    const wanted = new Set<string>();
    for (const [group, list] of members) {
      const { type, key } = groups.get(group)!;
      const [scope, name] = JSON.parse(key) as [string, string];
      for (const pair of duplicatePairs(list)) {
        const id = conflictId("duplicate-name", [...pair.creates]);
        wanted.add(`${id}\n${group}`);
        if (present.has(`${id}\n${group}`)) continue;
        fresh.push({
          id,
          kind: "duplicate-name",
          key: group,
          type,
          entity: pair.entities[0],
          detail: { name, scope: scope === "" ? null : scope, entities: [...pair.entities] },
        });
      }
    }
    for (const row of present) if (!wanted.has(row)) stale.push(row.slice(0, row.indexOf("\n")));
  });
  // Deletes before puts: a pair whose two entities moved to one new group
  // together keeps its id, and its put (new key) must not be undone.
  for (const id of stale) deleteConflict(db, id);
  for (const row of fresh) putConflict(db, row);
}

function nameOf(json: string | null): string | undefined {
  if (json === null) return undefined;
  const value = JSON.parse(json) as unknown;
  return typeof value === "string" ? value : undefined;
}
