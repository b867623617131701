/**
 * The reference model's derived facts (docs/spec/merge-rules.md rules 3-8
 * and links), computed from scratch over the folded op set: liveness,
 * effective parents, alias chains, segment ranges through Yjs's own
 * relative-position resolution, and the link set. Conflicts are in
 * `conflicts.ts`.
 *
 * Wrong-type references (docs/design.md §4) count as references to entities that
 * were never created: liveness is always asked of an expected type.
 */
import * as Y from "yjs";
import type { EntityType, JsonValue } from "../../op/op.js";
import type { EntityFacts, LinkFacts, SegmentRange } from "./facts.js";
import { entityKey, parentTree } from "./fold.js";
import type { Folded } from "./fold.js";

export interface Derived {
  readonly folded: Folded;
  /** Created, not deleted, not merged away (codes). Segments: rule 8. */
  readonly isLive: (type: EntityType, id: string) => boolean;
  readonly entities: ReadonlyArray<EntityFacts>;
}

export function deriveEntities(folded: Folded): Derived {
  const created = (type: EntityType, id: string): boolean => folded.firstCreate.has(entityKey(type, id));
  const deleted = (type: EntityType, id: string): boolean => folded.life.get(entityKey(type, id))?.deleted === true;
  const aliasParent = (id: string): string | null => folded.trees.alias.get(id)?.parent ?? null;
  const baseLive = (type: EntityType, id: string): boolean =>
    created(type, id) && !deleted(type, id) && !(type === "code" && aliasParent(id) !== null);
  const segments = new Map<string, { range: SegmentRange | undefined; live: boolean; effectiveCode: string | null }>();
  const entities: Array<EntityFacts> = [];
  for (const key of folded.firstCreate.keys()) {
    const [type, id] = splitKey(key);
    const fields = fieldsOf(folded, type, id);
    const base = { type, id, deleted: deleted(type, id), fields };
    const tree = parentTree(type);
    const treeFacts = tree === undefined ? {} : { effectiveParent: effectiveParent(folded, tree, id, baseLive) };
    if (type === "code") {
      entities.push({ ...base, live: baseLive(type, id), ...treeFacts, mergedInto: aliasParent(id), effectiveCode: aliasRoot(folded, id) });
    } else if (type === "segment") {
      const seg = deriveSegment(folded, fields, base.deleted, baseLive);
      segments.set(id, seg);
      entities.push({
        ...base,
        live: seg.live,
        effectiveCode: seg.effectiveCode,
        ...(seg.range === undefined ? {} : { range: seg.range }),
      });
    } else {
      entities.push({ ...base, live: baseLive(type, id), ...treeFacts });
    }
  }
  const isLive = (type: EntityType, id: string): boolean => (type === "segment" ? segments.get(id)?.live === true : baseLive(type, id));
  return { folded, isLive, entities };
}

export function deriveLinks(folded: Folded): Array<LinkFacts> {
  const pairs = new Map<string, { case: string; source: string; adds: Array<string> }>();
  for (const [add, link] of folded.linkAdds) {
    if (folded.linkRemoves.has(`${link.case}\n${add}`)) continue;
    const key = `${link.case}\n${link.source}`;
    const pair = pairs.get(key) ?? { case: link.case, source: link.source, adds: [] };
    pairs.set(key, pair);
    pair.adds.push(add);
  }
  for (const pair of pairs.values()) pair.adds.sort();
  return [...pairs.values()];
}

/** The end of the code's alias chain (the alias tree is acyclic by the cycle rule). */
export function aliasRoot(folded: Folded, code: string): string {
  let at = code;
  for (let next = folded.trees.alias.get(at)?.parent ?? null; next !== null; next = folded.trees.alias.get(at)?.parent ?? null) at = next;
  return at;
}

function splitKey(key: string): [EntityType, string] {
  const slash = key.indexOf("/");
  return [key.slice(0, slash) as EntityType, key.slice(slash + 1)];
}

function fieldsOf(folded: Folded, type: EntityType, id: string): Record<string, JsonValue> {
  const key = entityKey(type, id);
  const fields: Record<string, JsonValue> = {};
  for (const [field, write] of folded.registers.get(key) ?? []) fields[field] = write.value;
  for (const [field, doc] of folded.texts.get(key) ?? []) fields[field] = doc.getText(field).toString();
  const tree = parentTree(type);
  if (tree !== undefined) fields["parent"] = folded.trees[tree].get(id)?.parent ?? null;
  return fields;
}

/**
 * Nearest live ancestor along stored parents (rule 4). A tree's name is also
 * the type its parents must have (category, folder): a node of another type
 * on the way is skipped like one never created.
 */
function effectiveParent(
  folded: Folded,
  tree: "category" | "folder",
  id: string,
  baseLive: (type: EntityType, id: string) => boolean,
): string | null {
  const nodes = folded.trees[tree];
  for (let p = nodes.get(id)?.parent ?? null; p !== null; p = nodes.get(p)?.parent ?? null) {
    if (baseLive(tree, p)) return p;
  }
  return null;
}

function deriveSegment(
  folded: Folded,
  fields: Record<string, JsonValue>,
  deleted: boolean,
  baseLive: (type: EntityType, id: string) => boolean,
): { range: SegmentRange | undefined; live: boolean; effectiveCode: string | null } {
  const { code, source, start, end } = fields;
  const effectiveCode = typeof code === "string" ? aliasRoot(folded, code) : null;
  const doc = typeof source === "string" ? folded.texts.get(entityKey("source", source))?.get("content") : undefined;
  const range = segmentRange(start, end, doc);
  const live =
    !deleted &&
    range !== undefined &&
    effectiveCode !== null &&
    baseLive("code", effectiveCode) &&
    typeof source === "string" &&
    baseLive("source", source);
  return { range, live, effectiveCode };
}

/** Rule 8: numbers as they are; relative positions resolved by Yjs inside the source's `content`. */
function segmentRange(start: JsonValue | undefined, end: JsonValue | undefined, doc: Y.Doc | undefined): SegmentRange | undefined {
  if (typeof start === "number" && typeof end === "number") return { start, end: Math.max(start, end), collapsed: false };
  if (typeof start !== "string" || typeof end !== "string" || doc === undefined) return undefined;
  const s = resolveInContent(doc, start);
  const e = resolveInContent(doc, end);
  if (s === undefined || e === undefined) return undefined;
  return { start: s, end: Math.max(s, e), collapsed: e <= s };
}

function resolveInContent(doc: Y.Doc, anchor: string): number | undefined {
  const content = doc.getText("content");
  try {
    const abs = Y.createAbsolutePositionFromRelativePosition(Y.decodeRelativePosition(Buffer.from(anchor, "base64")), doc);
    return abs === null || abs.type !== content ? undefined : abs.index;
  } catch {
    return undefined;
  }
}
