/**
 * Case-source links: an add-wins set (docs/design.md §2, §3). A `link` op adds
 * the pair (case, source) under its own op id; an `unlink` removes exactly
 * the adds it lists (the ones its author saw). A pair is linked while at
 * least one of its adds is not removed, so a concurrent re-link survives an
 * unlink. Both tables only grow: arrival order never matters.
 */
import type Database from "better-sqlite3";
import { prep, prepRaw } from "../op-log/statements.js";

export function recordLink(db: Database.Database, addId: string, caseId: string, source: string): void {
  prep(db, "INSERT OR IGNORE INTO m_link_adds (add_id, case_id, source) VALUES (?, ?, ?)").run(addId, caseId, source);
}

/** An unlink only removes adds of its own case. */
export function recordUnlink(db: Database.Database, caseId: string, adds: ReadonlyArray<string>): void {
  const stmt = prep(db, "INSERT OR IGNORE INTO m_link_removes (add_id, case_id) VALUES (?, ?)");
  for (const addId of adds) stmt.run(addId, caseId);
}

export interface Link {
  readonly case: string;
  readonly source: string;
  /** Surviving add op ids (sorted): the `adds` an unlink of this pair lists. */
  readonly adds: ReadonlyArray<string>;
}

/** Linked pairs, sorted by case then source; optionally of one case. */
export function listLinks(db: Database.Database, caseId?: string): Array<Link> {
  const rows = prepRaw(
    db,
    `SELECT a.case_id, a.source, a.add_id FROM m_link_adds a
     WHERE (? IS NULL OR a.case_id = ?)
       AND NOT EXISTS (SELECT 1 FROM m_link_removes r WHERE r.add_id = a.add_id AND r.case_id = a.case_id)
     ORDER BY a.case_id, a.source, a.add_id`,
  ).all(caseId ?? null, caseId ?? null) as Array<[string, string, string]>;
  const links: Array<{ case: string; source: string; adds: Array<string> }> = [];
  for (const [c, source, addId] of rows) {
    const last = links[links.length - 1];
    if (last !== undefined && last.case === c && last.source === source) last.adds.push(addId);
    else links.push({ case: c, source, adds: [addId] });
  }
  return links;
}
