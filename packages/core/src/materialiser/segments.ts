/**
 * Segments: cascade (docs/design.md §4 rule 4), effective code (rule 6) and
 * anchors that follow text edits (rule 8).
 *
 * A segment row exists once the segment is created. Derived columns:
 * - eff_code: the end of the alias chain of its `code` register;
 * - start_idx/end_idx: its anchors resolved in the source's current
 *   `content` (NULL when they cannot be resolved);
 * - collapsed: text anchors whose characters were all removed (start = end);
 *   reported as `segment-text-removed` (id from the segment's create op)
 *   while the segment is not deleted;
 * - live: not deleted, effective code live, source live, range resolved.
 *
 * Invariant: a live segment points at a live code and a live source and lies
 * within the source text (0 <= start <= end <= length).
 */
import type Database from "better-sqlite3";
import type * as Y from "yjs";
import { makeAnchorResolver, resolveAnchors } from "./anchors.js";
import type { AnchorResolver, Range } from "./anchors.js";
import { aliasRoot } from "./code-merge.js";
import { conflictId, deleteConflictsByKey, putConflict } from "./conflicts.js";
import { isSegmentLive } from "./rules/liveness.js";
import { pluck, prep, prepRaw } from "../op-log/statements.js";
import { hasText, loadTextDoc } from "./text.js";

/**
 * Recomputes the given segments; `withRange` ones (and ones without a row
 * yet) also re-resolve their anchors. Segments are taken source by source so
 * that one source doc at a time is decoded and held.
 */
export function recomputeSegments(db: Database.Database, ids: ReadonlySet<string>, withRange: ReadonlySet<string>): void {
  const bySource = new Map<string, Array<{ id: string; fields: SegmentFields }>>();
  for (const id of ids) {
    const fields = readSegmentFields(db, id);
    const key = fields.source ?? "";
    let group = bySource.get(key);
    if (group === undefined) {
      group = [];
      bySource.set(key, group);
    }
    group.push({ id, fields });
  }
  for (const [source, group] of bySource) {
    const docs: Array<Y.Doc> = [];
    let resolver: AnchorResolver | undefined | null = null; // null: not loaded yet
    const resolverOf = (): AnchorResolver | undefined => {
      if (resolver !== null) return resolver;
      if (!hasText(db, "source", source, "content")) return (resolver = undefined);
      const doc = loadTextDoc(db, "source", source, "content");
      docs.push(doc);
      return (resolver = makeAnchorResolver(doc, "content"));
    };
    for (const { id, fields } of group) recomputeSegment(db, id, fields, withRange.has(id), resolverOf);
    for (const doc of docs) doc.destroy();
  }
}

export function segmentIdsOfSource(db: Database.Database, source: string): Array<string> {
  return (prepRaw(db, "SELECT id FROM m_segments WHERE source = ?").all(source) as Array<[string]>).map((r) => r[0]);
}

export function segmentIdsOfCode(db: Database.Database, code: string): Array<string> {
  return (prepRaw(db, "SELECT id FROM m_segments WHERE code = ?").all(code) as Array<[string]>).map((r) => r[0]);
}

export function segmentIdsOfEffCode(db: Database.Database, code: string): Array<string> {
  return (prepRaw(db, "SELECT id FROM m_segments WHERE eff_code = ?").all(code) as Array<[string]>).map((r) => r[0]);
}

function recomputeSegment(
  db: Database.Database,
  id: string,
  fields: SegmentFields,
  withRange: boolean,
  resolverOf: () => AnchorResolver | undefined,
): void {
  const entity = prepRaw(db, "SELECT create_hlc, deleted FROM m_entities WHERE type = 'segment' AND id = ?").get(id) as
    [string | null, number] | undefined;
  if (entity === undefined || entity[0] === null) return;
  const [createHlc, deleted] = entity;
  const existing = prepRaw(db, "SELECT start_idx, end_idx, collapsed FROM m_segments WHERE id = ?").get(id) as
    [number | null, number | null, number] | undefined;
  const range = withRange || existing === undefined ? resolveRange(fields, resolverOf) : rangeOf(existing);
  const effCode = fields.code === null ? null : aliasRoot(db, fields.code);
  const collapsed = range !== undefined && typeof fields.start === "string" && range.start >= range.end;
  const live = isSegmentLive({
    deleted: deleted !== 0,
    resolved: range !== undefined,
    effectiveCodeLive: effCode !== null && isLive(db, "code", effCode),
    sourceLive: fields.source !== null && isLive(db, "source", fields.source),
  });
  prep(
    db,
    `INSERT INTO m_segments (id, source, code, eff_code, start_idx, end_idx, collapsed, live) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(id) DO UPDATE SET source = excluded.source, code = excluded.code, eff_code = excluded.eff_code,
       start_idx = excluded.start_idx, end_idx = excluded.end_idx, collapsed = excluded.collapsed, live = excluded.live`,
  ).run(id, fields.source, fields.code, effCode, range?.start ?? null, range?.end ?? null, collapsed ? 1 : 0, live ? 1 : 0);
  const reported = collapsed && deleted === 0;
  // Only a segment that was collapsed before can have a conflict row to remove.
  if (!reported && existing?.[2] !== 1) return;
  // By key, not id: the id hashes the segment's first create, which a late create can change.
  deleteConflictsByKey(db, "segment-text-removed", id);
  if (reported) {
    putConflict(db, {
      id: conflictId("segment-text-removed", [createHlc]),
      kind: "segment-text-removed",
      key: id,
      type: "segment",
      entity: id,
      detail: { source: fields.source, code: effCode, at: range?.start ?? null },
    });
  }
}

interface SegmentFields {
  readonly code: string | null;
  readonly source: string | null;
  readonly start: unknown;
  readonly end: unknown;
}

function readSegmentFields(db: Database.Database, id: string): SegmentFields {
  const rows = prepRaw(
    db,
    "SELECT field, value FROM m_registers WHERE type = 'segment' AND id = ? AND field IN ('code', 'source', 'start', 'end')",
  ).all(id) as Array<[string, string]>;
  const values = new Map(rows.map(([field, value]) => [field, JSON.parse(value) as unknown]));
  const str = (v: unknown): string | null => (typeof v === "string" ? v : null);
  return { code: str(values.get("code")), source: str(values.get("source")), start: values.get("start"), end: values.get("end") };
}

function resolveRange(fields: SegmentFields, resolverOf: () => AnchorResolver | undefined): Range | undefined {
  const resolve = typeof fields.start === "string" && fields.source !== null ? resolverOf() : undefined;
  return resolveAnchors(fields.start, fields.end, resolve);
}

function rangeOf([start, end]: [number | null, number | null, number]): Range | undefined {
  return start === null || end === null ? undefined : { start, end };
}

function isLive(db: Database.Database, type: "code" | "source", id: string): boolean {
  return pluck<number>(db, "SELECT live FROM m_entities WHERE type = ? AND id = ?", type, id) === 1;
}
