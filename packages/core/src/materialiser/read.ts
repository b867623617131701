/**
 * Read helpers for commands and views. They only read the materialised
 * tables (plus nothing else), so they see the caller's open transaction.
 */
import type Database from "better-sqlite3";
import type * as Y from "yjs";
import type { EntityType, JsonValue } from "../op/op.js";
import { aliasRoot, wouldMergeCycle } from "./code-merge.js";
import type { ConflictKind } from "./conflicts.js";
import type { TreeName } from "./dirty.js";
import { treeOf } from "./dirty.js";
import { registerHeads } from "./registers.js";
import { pluck, prepRaw } from "../op-log/statements.js";
import { loadTextDoc, readTexts } from "./text.js";
import { closesCycle, parentOf } from "./tree-move.js";

export interface EntityState {
  readonly type: EntityType;
  readonly id: string;
  /** Registers, text fields as plain strings and, for tree types, the stored `parent`. */
  readonly fields: { readonly [field: string]: JsonValue };
  /** Created, not deleted, not merged away; for segments also the cascade (code, source, anchors). */
  readonly live: boolean;
  /** The lifecycle register says deleted. */
  readonly deleted: boolean;
  /** Tree types: the parent the ops set (null = root). */
  readonly parent?: string | null;
  /** Tree types: nearest live ancestor (null = shown at the root). */
  readonly effectiveParent?: string | null;
  /** Codes: the code it was merged into (null = not merged). */
  readonly mergedInto?: string | null;
  /** Codes and segments: the end of the alias chain. */
  readonly effectiveCode?: string | null;
  /** Segments: the current range; undefined when the anchors do not resolve. */
  readonly range?: { readonly start: number; readonly end: number; readonly collapsed: boolean };
}

export interface ListOptions {
  /** Also list created entities that are not live (deleted, merged away, cascaded). */
  readonly includeDeleted?: boolean;
}

export function getEntity(db: Database.Database, type: EntityType, id: string): EntityState | undefined {
  const row = prepRaw(db, "SELECT create_hlc, deleted, live, eff_parent FROM m_entities WHERE type = ? AND id = ?").get(type, id) as
    [string | null, number, number, string | null] | undefined;
  if (row === undefined || row[0] === null) return undefined;
  const [, deleted, baseLive, effParent] = row;
  const fields: Record<string, JsonValue> = {};
  for (const [field, value] of prepRaw(db, "SELECT field, value FROM m_registers WHERE type = ? AND id = ?").all(type, id) as Array<
    [string, string]
  >) {
    fields[field] = JSON.parse(value) as JsonValue;
  }
  for (const [field, text] of readTexts(db, type, id)) fields[field] = text;
  const tree = treeOf(type);
  const extra: { -readonly [K in keyof EntityState]?: EntityState[K] } = {};
  if (tree !== undefined) {
    fields["parent"] = parentOf(db, tree, id);
    extra.parent = fields["parent"];
    extra.effectiveParent = effParent;
  }
  if (type === "code") {
    extra.mergedInto = parentOf(db, "alias", id);
    extra.effectiveCode = aliasRoot(db, id);
  }
  let live = baseLive === 1;
  if (type === "segment") {
    const seg = prepRaw(db, "SELECT eff_code, start_idx, end_idx, collapsed, live FROM m_segments WHERE id = ?").get(id) as
      [string | null, number | null, number | null, number, number] | undefined;
    live = seg?.[4] === 1;
    extra.effectiveCode = seg?.[0] ?? null;
    if (seg !== undefined && seg[1] !== null && seg[2] !== null) {
      extra.range = { start: seg[1], end: seg[2], collapsed: seg[3] === 1 };
    }
  }
  return { type, id, fields, live, deleted: deleted === 1, ...extra };
}

export function isLive(db: Database.Database, type: EntityType, id: string): boolean {
  if (type === "segment") return pluck<number>(db, "SELECT live FROM m_segments WHERE id = ?", id) === 1;
  return pluck<number>(db, "SELECT live FROM m_entities WHERE type = ? AND id = ?", type, id) === 1;
}

/**
 * Whether the entity was ever created, is deleted, and is live: the row
 * `getEntity` starts from, without its registers, texts and trees (the
 * commands' liveness check runs on every edit). undefined: never created.
 */
export function entityLifecycle(
  db: Database.Database,
  type: EntityType,
  id: string,
): { readonly deleted: boolean; readonly live: boolean } | undefined {
  const row = prepRaw(db, "SELECT create_hlc, deleted, live FROM m_entities WHERE type = ? AND id = ?").get(type, id) as
    [string | null, number, number] | undefined;
  if (row === undefined || row[0] === null) return undefined;
  // A segment's liveness is its cascade (m_segments), not the entity row's.
  return { deleted: row[1] === 1, live: type === "segment" ? isLive(db, type, id) : row[2] === 1 };
}

/** Op ids of the register's current writes that no later write saw: the `prev` of a new write. */
export function registerWriters(db: Database.Database, type: EntityType, id: string, field: string): Array<string> {
  return registerHeads(db, type, id, field);
}

/**
 * The Y.Doc of a text field (layout: one doc per entity field, text at
 * `doc.getText(field)`). Edit it and send `Y.encodeStateAsUpdate(doc, sv)`
 * (sv = the state vector before the edit) as the `text` op's update.
 */
export function loadText(db: Database.Database, type: EntityType, id: string, field: string): Y.Doc {
  return loadTextDoc(db, type, id, field);
}

/** Whether moving `id` under `newParent` now would be skipped as closing a cycle. */
export function wouldCreateCycle(db: Database.Database, type: EntityType, id: string, newParent: string | null): boolean {
  const tree: TreeName | undefined = treeOf(type);
  if (tree === undefined) return false;
  return closesCycle(id, newParent, (n) => parentOf(db, tree, n));
}

export { wouldMergeCycle };

export function listEntities(db: Database.Database, type: EntityType, options: ListOptions = {}): Array<EntityState> {
  const ids = prepRaw(db, "SELECT id FROM m_entities WHERE type = ? AND create_hlc IS NOT NULL ORDER BY id").all(type) as Array<[string]>;
  const out: Array<EntityState> = [];
  for (const [id] of ids) {
    const entity = getEntity(db, type, id);
    if (entity !== undefined && (entity.live || options.includeDeleted === true)) out.push(entity);
  }
  return out;
}

export interface Conflict {
  readonly id: string;
  readonly kind: ConflictKind;
  readonly type: EntityType;
  readonly entity: string;
  readonly detail: JsonValue;
  readonly resolved: boolean;
}

export function listConflicts(db: Database.Database, options: { readonly includeResolved?: boolean } = {}): Array<Conflict> {
  const rows = prepRaw(
    db,
    `SELECT c.id, c.kind, c.type, c.entity, c.detail, EXISTS (SELECT 1 FROM m_resolves r WHERE r.conflict = c.id)
     FROM m_conflicts c ORDER BY c.kind, c.id`,
  ).all() as Array<[string, ConflictKind, EntityType, string, string, number]>;
  return rows
    .map(([id, kind, type, entity, detail, resolved]) => ({
      id,
      kind,
      type,
      entity,
      detail: JSON.parse(detail) as JsonValue,
      resolved: resolved === 1,
    }))
    .filter((c) => options.includeResolved === true || !c.resolved);
}

/** The segment's current range in its source, or undefined (unknown segment / unresolvable anchors). */
export function segmentRange(
  db: Database.Database,
  segmentId: string,
): { readonly start: number; readonly end: number; readonly collapsed: boolean } | undefined {
  const row = prepRaw(db, "SELECT start_idx, end_idx, collapsed FROM m_segments WHERE id = ?").get(segmentId) as
    [number | null, number | null, number] | undefined;
  if (row === undefined || row[0] === null || row[1] === null) return undefined;
  return { start: row[0], end: row[1], collapsed: row[2] === 1 };
}

/** The effective code of `codeId`: the end of its alias chain. */
export function codeAlias(db: Database.Database, codeId: string): string {
  return aliasRoot(db, codeId);
}
