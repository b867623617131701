/**
 * The reference model's conflicts (docs/spec/merge-rules.md, rules 1, 5-9
 * and "Conflict kinds and ids"), each derived from scratch: pairs of `set`s
 * with one `prev`, skipped moves and merges, pairs of live entities named
 * alike, collapsed segments; `resolved` when any `resolve` op names the id.
 * Ids are recomputed here with node:crypto, as the spec states them.
 */
import { createHash } from "node:crypto";
import type { EntityType, JsonValue, SetOp } from "../../op/op.js";
import type { Derived } from "./derive.js";
import type { ConflictFacts, EntityFacts } from "./facts.js";
import { compare } from "./facts.js";
import { entityKey } from "./fold.js";

type Unresolved = Omit<ConflictFacts, "resolved">;

export function deriveConflicts(derived: Derived): Array<ConflictFacts> {
  const rows = [...concurrentEdits(derived), ...cycleSkips(derived), ...duplicateNames(derived), ...collapsedSegments(derived)];
  return rows.map((row) => ({ ...row, resolved: derived.folded.resolves.has(row.id) }));
}

/** `"c-"` + 32 hex chars of SHA-256 over the kind and the sorted op ids, joined by newlines. */
export function referenceConflictId(kind: string, opIds: ReadonlyArray<string>): string {
  const text = [kind, ...[...opIds].sort(compare)].join("\n");
  return `c-${createHash("sha256").update(text, "utf8").digest("hex").slice(0, 32)}`;
}

function concurrentEdits({ folded }: Derived): Array<Unresolved> {
  const groups = new Map<string, Array<SetOp>>();
  for (const op of folded.sets) {
    const prevKey = JSON.stringify([...new Set(op.prev)].sort(compare));
    const key = JSON.stringify([op.target.type, op.target.id, op.body.field, prevKey]);
    groups.set(key, [...(groups.get(key) ?? []), op]);
  }
  const rows: Array<Unresolved> = [];
  for (const group of groups.values()) {
    for (const [a, b] of pairs(group)) {
      const writes = [a, b].map((op) => ({ op: op.id, actor: op.actor, value: op.body.value }));
      rows.push({
        id: referenceConflictId("concurrent-edit", [a.id, b.id]),
        kind: "concurrent-edit",
        type: a.target.type,
        entity: a.target.id,
        detail: { field: a.body.field, writes },
      });
    }
  }
  return rows;
}

function cycleSkips({ folded }: Derived): Array<Unresolved> {
  return folded.skipped.map((s) => ({
    id: referenceConflictId("cycle-skipped", [s.op]),
    kind: "cycle-skipped",
    type: s.type,
    entity: s.node,
    detail: { tree: s.tree, op: s.op, parent: s.parent, merge: s.tree === "alias" },
  }));
}

const NAME_CHECKED: ReadonlyArray<EntityType> = ["code", "category", "source", "case"];

/** Rule 7: live entities named alike (trim, NFC, lower case, NFC); categories only under one effective parent. */
function duplicateNames(derived: Derived): Array<Unresolved> {
  const groups = new Map<string, Array<EntityFacts>>();
  for (const e of derived.entities) {
    const name = e.fields["name"];
    if (!NAME_CHECKED.includes(e.type) || !e.live || typeof name !== "string") continue;
    const scope = e.type === "category" ? (e.effectiveParent ?? null) : null;
    const key = JSON.stringify([e.type, scope, normaliseName(name)]);
    groups.set(key, [...(groups.get(key) ?? []), e]);
  }
  const rows: Array<Unresolved> = [];
  for (const [key, group] of groups) {
    const [, scope, name] = JSON.parse(key) as [EntityType, string | null, string];
    for (const [a, b] of pairs([...group].sort((x, y) => compare(x.id, y.id)))) {
      const creates = [a, b].map((e) => derived.folded.firstCreate.get(entityKey(e.type, e.id)) ?? "");
      rows.push({
        id: referenceConflictId("duplicate-name", creates),
        kind: "duplicate-name",
        type: a.type,
        entity: a.id,
        detail: { name, scope, entities: [a.id, b.id] } satisfies JsonValue,
      });
    }
  }
  return rows;
}

function collapsedSegments(derived: Derived): Array<Unresolved> {
  const rows: Array<Unresolved> = [];
  for (const e of derived.entities) {
    if (e.type !== "segment" || e.deleted || e.range?.collapsed !== true) continue;
    rows.push({
      id: referenceConflictId("segment-text-removed", [derived.folded.firstCreate.get(entityKey("segment", e.id)) ?? ""]),
      kind: "segment-text-removed",
      type: "segment",
      entity: e.id,
      detail: { source: e.fields["source"] ?? null, code: e.effectiveCode ?? null, at: e.range.start },
    });
  }
  return rows;
}

export function normaliseName(name: string): string {
  return name.trim().normalize("NFC").toLowerCase().normalize("NFC");
}

/** Every unordered pair, in the group's order. */
function pairs<T>(items: ReadonlyArray<T>): Array<[T, T]> {
  const out: Array<[T, T]> = [];
  for (let i = 0; i < items.length; i++) for (let j = i + 1; j < items.length; j++) out.push([items[i] as T, items[j] as T]);
  return out;
}
