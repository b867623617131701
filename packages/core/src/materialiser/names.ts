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
 * a batch of candidates at a time (docs/decisions/0018).
 */
import type Database from "better-sqlite3";
import type { EntityType } from "../op/op.js";
import { conflictId, deleteConflict, putConflict, type ConflictRow } from "./conflicts.js";
import { forEachChunk } from "./json-rows.js";
import { duplicateNameKey, duplicatePairs, NAMED_TYPES } from "./rules/names.js";
import { prep, prepPluck, prepRaw } from "../op-log/statements.js";

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
 * or a recolour, recomputes nothing. Per batch, not per entity: the groups'
 * present conflicts are read in one statement per chunk of groups, and only
 * the conflicts that appear or go are written (a group with none and no
 * pair, the common case of a rename, writes nothing).
 */
export function updateDuplicateNames(db: Database.Database, candidates: ReadonlyArray<NameCandidate>): void {
  const groups = new Map<string, { readonly type: EntityType; readonly key: string }>();
  const addGroup = (type: EntityType, key: string): void => {
    groups.set(JSON.stringify([type, key]), { type, key });
  };
  for (const { type, id, created } of candidates) {
    if (!NAMED_TYPES.has(type)) continue;
    const row = prepRaw(
      db,
      `SELECT e.live, e.eff_parent, e.dup_key, r.value FROM m_entities e
       LEFT JOIN m_registers r ON r.type = e.type AND r.id = e.id AND r.field = 'name'
       WHERE e.type = ? AND e.id = ?`,
    ).get(type, id) as [number, string | null, string | null, string | null] | undefined;
    if (row === undefined) continue;
    const [live, effParent, old, nameJson] = row;
    const key = duplicateNameKey({ type, live: live === 1, effectiveParent: effParent, name: nameOf(nameJson) });
    if (key !== null && (created || key !== old)) addGroup(type, key);
    if (key === old) continue;
    prep(db, "UPDATE m_entities SET dup_key = ? WHERE type = ? AND id = ?").run(key, type, id);
    if (old !== null) addGroup(type, old);
  }
  recomputeDupGroups(db, groups);
}

function recomputeDupGroups(db: Database.Database, groups: ReadonlyMap<string, { readonly type: EntityType; readonly key: string }>): void {
  // A row is kept when the same id is wanted in the same group: the pair's
  // creates name the id and the group names the rest of the row.
  const present = new Set<string>();
  // A command's batch has one candidate and at most two groups: a plain
  // lookup per group costs less than one json_each statement, whose fixed
  // cost is several plain ones (decision 0025); a page of candidates reads
  // its groups' conflicts in one statement per chunk.
  if (groups.size <= FEW_GROUPS) {
    for (const group of groups.keys()) {
      const ids = prepPluck(db, "SELECT id FROM m_conflicts WHERE kind = 'duplicate-name' AND key = ?").all(group) as Array<string>;
      for (const id of ids) present.add(`${id}\n${group}`);
    }
  } else {
    forEachChunk([...groups.keys()], (json) => {
      const rows = prepRaw(
        db,
        "SELECT id, key FROM m_conflicts WHERE kind = 'duplicate-name' AND key IN (SELECT value FROM json_each(?))",
      ).all(json) as Array<[string, string]>;
      for (const [id, group] of rows) present.add(`${id}\n${group}`);
    });
  }
  const wanted = new Set<string>();
  const fresh: Array<ConflictRow> = [];
  for (const [group, { type, key }] of groups) {
    const members = prepRaw(db, "SELECT id, create_hlc FROM m_entities INDEXED BY m_entities_dup WHERE type = ? AND dup_key = ?").all(
      type,
      key,
    ) as Array<[string, string]>;
    if (members.length < 2) continue;
    const [scope, name] = JSON.parse(key) as [string, string];
    for (const pair of duplicatePairs(members.map(([id, createHlc]) => ({ id, createHlc })))) {
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
  // Deletes before puts: a pair whose two entities moved to one new group
  // together keeps its id, and its put (new key) must not be undone.
  for (const row of present) if (!wanted.has(row)) deleteConflict(db, row.slice(0, row.indexOf("\n")));
  for (const row of fresh) putConflict(db, row);
}

/** Up to this many groups, their present conflicts are read one group at a time. */
const FEW_GROUPS = 4;

function nameOf(json: string | null): string | undefined {
  if (json === null) return undefined;
  const value = JSON.parse(json) as unknown;
  return typeof value === "string" ? value : undefined;
}
