/**
 * What commands read from the materialised state, through the materialiser's
 * read helpers, plus the "must exist / must be live" checks that turn a
 * missing or deleted entity into a `CommandError` before anything is written.
 */
import type Database from "better-sqlite3";
import type * as Y from "yjs";
import {
  codeAlias,
  entityLifecycle,
  getEntity,
  listConflicts,
  listLinks,
  loadText,
  registerWriters,
  wouldCreateCycle,
} from "../materialiser/index.js";
import { hashJson } from "../op/canonical.js";
import type { EntityType, JsonValue } from "../op/op.js";
import { fail } from "./errors.js";

export type EntityStatus = "missing" | "live" | "deleted" | "hidden";

/** missing: never created; deleted: its lifecycle says so; hidden: not deleted but not live (cascade, merged). */
export function entityStatus(db: Database.Database, type: EntityType, id: string): EntityStatus {
  const entity = entityLifecycle(db, type, id);
  if (entity === undefined) return "missing";
  if (entity.live) return "live";
  return entity.deleted ? "deleted" : "hidden";
}

/** Throws unless the entity exists and is live; `label` names it for the researcher. */
export function requireLive(db: Database.Database, type: EntityType, id: string, label: string = type): void {
  const status = entityStatus(db, type, id);
  if (status === "missing") fail("not-found", `no ${label} with id ${id}: check the id, or create it first`);
  if (status === "deleted") fail("not-live", `${label} ${id} is deleted: restore it first`);
  if (status === "hidden") fail("not-live", `${label} ${id} is not live (merged away, or its code or source is deleted)`);
}

/** A register's current value (undefined if never written). */
export function fieldOf(db: Database.Database, type: EntityType, id: string, field: string): JsonValue | undefined {
  return getEntity(db, type, id)?.fields[field];
}

/** The ops a new write of the register supersedes: its `prev`. */
export function writersOf(db: Database.Database, type: EntityType, id: string, field: string): ReadonlyArray<string> {
  return registerWriters(db, type, id, field);
}

/** The field's merged text as a Y.Doc, with this replica's Yjs client id. */
export function openText(db: Database.Database, type: EntityType, id: string, field: string, replica: string): Y.Doc {
  const doc = loadText(db, type, id, field);
  doc.clientID = yjsClientId(replica);
  return doc;
}

/**
 * A stable Yjs client id per replica: 52 bits of a SHA-256 of the whole
 * replica id (Yjs encodes client ids as var-uints and keeps them in Maps, so
 * any safe integer works). Hashing all 64 bits matters: taking a prefix made
 * replicas like 0000000000000001 and ...02 share an id and lose one of two
 * concurrent inserts. So a
 * field's state vector grows by one entry per replica, not per edit. Safe
 * because a replica's own text ops are always in its log before the next
 * edit loads the doc; a power loss can only drop edits that never left the
 * machine (durability barrier, op-log/durability.ts), so reissuing their
 * Yjs ids with other content cannot clash with anything a peer holds.
 */
export function yjsClientId(replica: string): number {
  let id = clientIds.get(replica);
  if (id === undefined) {
    id = Number.parseInt(hashJson(replica).slice(0, 13), 16);
    clientIds.set(replica, id);
  }
  return id;
}
const clientIds = new Map<string, number>();

export function closesCycle(db: Database.Database, type: EntityType, id: string, parent: string | null): boolean {
  return parent !== null && wouldCreateCycle(db, type, id, parent);
}

export function aliasOf(db: Database.Database, code: string): string {
  return codeAlias(db, code);
}

export function openConflictIds(db: Database.Database): ReadonlySet<string> {
  return new Set(listConflicts(db).map((c) => c.id));
}

export function linkAdds(db: Database.Database, caseId: string, source: string): ReadonlyArray<string> {
  return listLinks(db, caseId).find((l) => l.source === source)?.adds ?? [];
}
