/**
 * `canonicalState`: one stable JSON string of every materialised table,
 * conflicts (with their resolved flag) included, that two replicas compare
 * with `===`. Only set-determined columns appear: no local seq, no arrival
 * times, no Yjs binary state (its struct layout depends on merge order; the
 * text and the state vector do not).
 */
import type Database from "better-sqlite3";
import { prepRaw } from "../op-log/statements.js";
import { decodeText } from "./text.js";

const QUERIES: ReadonlyArray<readonly [string, string]> = [
  ["entities", "SELECT type, id, create_hlc, life_hlc, deleted, live, eff_parent, dup_key FROM m_entities ORDER BY type, id"],
  ["registers", "SELECT type, id, field, value, hlc FROM m_registers ORDER BY type, id, field"],
  ["tree", "SELECT tree, node, node_type, parent FROM m_tree_nodes ORDER BY tree, node"],
  ["moves", "SELECT tree, hlc, node, parent, skipped FROM m_moves ORDER BY tree, hlc"],
  ["segments", "SELECT id, source, code, eff_code, start_idx, end_idx, collapsed, live FROM m_segments ORDER BY id"],
  [
    "links",
    `SELECT a.case_id, a.source, a.add_id FROM m_link_adds a
     WHERE NOT EXISTS (SELECT 1 FROM m_link_removes r WHERE r.add_id = a.add_id AND r.case_id = a.case_id)
     ORDER BY a.case_id, a.source, a.add_id`,
  ],
  [
    "conflicts",
    `SELECT c.id, c.kind, c.type, c.entity, c.detail, EXISTS (SELECT 1 FROM m_resolves r WHERE r.conflict = c.id)
     FROM m_conflicts c ORDER BY c.id`,
  ],
  ["resolves", "SELECT DISTINCT conflict FROM m_resolves ORDER BY conflict"],
  ["unapplied", "SELECT op_id, reason FROM m_unapplied ORDER BY op_id"],
];

export function canonicalState(db: Database.Database): string {
  const parts = QUERIES.map(([name, sql]) => `${JSON.stringify(name)}:${JSON.stringify(prepRaw(db, sql).all())}`);
  parts.push(`"texts":${JSON.stringify(texts(db))}`);
  return `{${parts.join(",")}}`;
}

/** Text fields as plain text + state vector (the merged update's bytes depend on merge order). */
function texts(db: Database.Database): Array<[string, string, string, string, string]> {
  const rows = prepRaw(db, "SELECT type, id, field, state FROM m_texts ORDER BY type, id, field").all() as Array<
    [string, string, string, Buffer]
  >;
  return rows.map(([type, id, field, state]) => {
    const { text, sv } = decodeText(field, state);
    return [type, id, field, text, sv];
  });
}
