/**
 * Duplicate-name decisions (docs/spec/merge-rules.md rule 7) as pure
 * functions: how names compare, which group an entity is in, and the pairs
 * a group reports.
 */
import type { EntityType } from "../../op/op.js";

/** Types whose names are checked (folders, attributes and journals are not). */
export const NAMED_TYPES: ReadonlySet<EntityType> = new Set(["code", "category", "source", "case"]);

/** Trimmed, NFC, lower-cased, NFC again (lower-casing can denormalise). */
export function normaliseName(name: string): string {
  return name.trim().normalize("NFC").toLowerCase().normalize("NFC");
}

export interface NamedEntity {
  readonly type: EntityType;
  readonly live: boolean;
  readonly effectiveParent: string | null;
  /** The `name` register, if it holds a string. */
  readonly name: string | undefined;
}

/**
 * The entity's duplicate-name key within its type: JSON [scope, normalised
 * name], scope = the effective parent for categories ("" at the root) and ""
 * otherwise; null when it takes no part (unchecked type, not live, unnamed).
 */
export function duplicateNameKey(e: NamedEntity): string | null {
  if (!NAMED_TYPES.has(e.type) || !e.live || e.name === undefined) return null;
  return JSON.stringify([e.type === "category" ? (e.effectiveParent ?? "") : "", normaliseName(e.name)]);
}

export interface DuplicatePair {
  /** The two entity ids, sorted. */
  readonly entities: readonly [string, string];
  /** Their first create ops (name the conflict id). */
  readonly creates: readonly [string, string];
}

/** Every pair of a group's members (id and first create), sorted by id. */
export function duplicatePairs(members: ReadonlyArray<{ readonly id: string; readonly createHlc: string }>): Array<DuplicatePair> {
  const sorted = [...members].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const pairs: Array<DuplicatePair> = [];
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length; j++) {
      const a = sorted[i];
      const b = sorted[j];
      if (a !== undefined && b !== undefined) pairs.push({ entities: [a.id, b.id], creates: [a.createHlc, b.createHlc] });
    }
  }
  return pairs;
}
