/**
 * The facts a replica shows, as plain data: what the reference model
 * computes from an op set and what `materialisedFacts` reads back from a
 * SQLite replica, so the property test can compare the two with one deep
 * equality. Only created entities appear (a never-created id is not a fact);
 * every list is sorted so equal facts are equal values.
 */
import type { EntityType, JsonValue } from "../../op/op.js";

export interface SegmentRange {
  readonly start: number;
  readonly end: number;
  readonly collapsed: boolean;
}

export interface EntityFacts {
  readonly type: EntityType;
  readonly id: string;
  readonly live: boolean;
  readonly deleted: boolean;
  /** Registers (LWW), texts as plain strings and, for tree types, the stored `parent`. */
  readonly fields: { readonly [field: string]: JsonValue };
  /** Tree types: the nearest live ancestor of the right type (null = root). */
  readonly effectiveParent?: string | null;
  /** Codes: the alias parent (null = not merged). */
  readonly mergedInto?: string | null;
  /** Codes and segments: the end of the alias chain. */
  readonly effectiveCode?: string | null;
  /** Segments whose anchors resolve. */
  readonly range?: SegmentRange;
}

export interface LinkFacts {
  readonly case: string;
  readonly source: string;
  readonly adds: ReadonlyArray<string>;
}

export interface ConflictFacts {
  readonly id: string;
  readonly kind: string;
  readonly type: EntityType;
  readonly entity: string;
  readonly detail: JsonValue;
  readonly resolved: boolean;
}

export interface Facts {
  readonly entities: ReadonlyArray<EntityFacts>;
  readonly links: ReadonlyArray<LinkFacts>;
  readonly conflicts: ReadonlyArray<ConflictFacts>;
}

/** Sorts every list the way both sides agree on (entities by type then id, links by case then source, conflicts by id). */
export function sortFacts(facts: Facts): Facts {
  return {
    entities: [...facts.entities].sort((a, b) => compare(a.type, b.type) || compare(a.id, b.id)),
    links: [...facts.links].sort((a, b) => compare(a.case, b.case) || compare(a.source, b.source)),
    conflicts: [...facts.conflicts].sort((a, b) => compare(a.id, b.id)),
  };
}

export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
