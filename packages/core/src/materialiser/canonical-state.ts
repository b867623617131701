/**
 * `canonicalState`: one stable JSON string of every materialised table,
 * conflicts (with their resolved flag) included, that two replicas compare
 * with `===`. Only set-determined columns appear: no local seq, no arrival
 * times, no Yjs binary state (its struct layout depends on merge order; the
 * text and the state vector do not).
 *
 * `sameCanonicalState` answers the same question for two schemas of one
 * connection (the live file attached to a rebuilt state, op-log/verify.ts)
 * without building either dump: the row sets are compared in SQL, and a
 * text is decoded only when its Yjs bytes differ (docs/decisions/0016).
 */
import type Database from "better-sqlite3";
import { prepRaw } from "../op-log/statements.js";
import { opIdOfKey } from "./register-keys.js";
import { decodeText } from "./text.js";

/**
 * One part of the dump: its rows from the tables of schema `s` ("" for the
 * connection's own tables, else "name."). Every part's rows are distinct
 * (each carries its table's primary key, or is DISTINCT), so two parts are
 * equal exactly when neither EXCEPT the other has a row.
 */
interface Part {
  readonly name: string;
  readonly rows: (s: string) => string;
  readonly order: string;
  /** The dump's form of a row, when the stored one is not (an HLC key as its HLC). */
  readonly dumped?: (row: Array<unknown>) => Array<unknown>;
}

const PARTS: ReadonlyArray<Part> = [
  {
    name: "entities",
    rows: (s) => `SELECT type, id, create_hlc, life_hlc, deleted, live, eff_parent, dup_key FROM ${s}m_entities`,
    order: "type, id",
  },
  {
    name: "registers",
    rows: (s) => `SELECT type, id, field, value, hlc FROM ${s}m_registers`,
    order: "type, id, field",
    dumped: ([type, id, field, value, hlc]) => [type, id, field, value, opIdOfKey(hlc as Buffer)],
  },
  { name: "tree", rows: (s) => `SELECT tree, node, node_type, parent FROM ${s}m_tree_nodes`, order: "tree, node" },
  { name: "moves", rows: (s) => `SELECT tree, hlc, node, parent, skipped FROM ${s}m_moves`, order: "tree, hlc" },
  {
    name: "segments",
    rows: (s) => `SELECT id, source, code, eff_code, start_idx, end_idx, collapsed, live FROM ${s}m_segments`,
    order: "id",
  },
  {
    name: "links",
    rows: (s) => `SELECT a.case_id, a.source, a.add_id FROM ${s}m_link_adds a
     WHERE NOT EXISTS (SELECT 1 FROM ${s}m_link_removes r WHERE r.add_id = a.add_id AND r.case_id = a.case_id)`,
    order: "1, 2, 3",
  },
  {
    name: "conflicts",
    rows: (s) => `SELECT c.id, c.kind, c.type, c.entity, c.detail, EXISTS (SELECT 1 FROM ${s}m_resolves r WHERE r.conflict = c.id)
     FROM ${s}m_conflicts c`,
    order: "1",
  },
  { name: "resolves", rows: (s) => `SELECT DISTINCT conflict FROM ${s}m_resolves`, order: "conflict" },
  { name: "unapplied", rows: (s) => `SELECT op_id, reason FROM ${s}m_unapplied`, order: "op_id" },
];

export function canonicalState(db: Database.Database): string {
  const parts = PARTS.map(({ name, rows, order, dumped }) => {
    const stored = prepRaw(db, `${rows("")} ORDER BY ${order}`).all() as Array<Array<unknown>>;
    return `${JSON.stringify(name)}:${JSON.stringify(dumped === undefined ? stored : stored.map(dumped))}`;
  });
  parts.push(`"texts":${JSON.stringify(texts(db))}`);
  return `{${parts.join(",")}}`;
}

/**
 * Whether schemas `a` and `b` of `db` (e.g. "main" and "live") hold the same
 * canonical state: `canonicalState` of each would be equal. Texts are equal
 * when their Yjs bytes are; only texts whose bytes differ (the same edits
 * merged in another order) are decoded and compared as text + state vector.
 */
export function sameCanonicalState(db: Database.Database, a: string, b: string): boolean {
  const rowsDiffer = (p: Part): boolean => {
    const [x, y] = [p.rows(`${a}.`), p.rows(`${b}.`)];
    return db.prepare(`SELECT EXISTS (${x} EXCEPT ${y}) OR EXISTS (${y} EXCEPT ${x})`).pluck().get() === 1;
  };
  if (PARTS.some(rowsDiffer)) return false;
  const keys = (s: string): string => `SELECT type, id, field FROM ${s}.m_texts`;
  const keysDiffer = db
    .prepare(`SELECT EXISTS (${keys(a)} EXCEPT ${keys(b)}) OR EXISTS (${keys(b)} EXCEPT ${keys(a)})`)
    .pluck()
    .get();
  if (keysDiffer === 1) return false;
  const unlike = db
    .prepare(
      `SELECT x.field, x.state, y.state FROM ${a}.m_texts x JOIN ${b}.m_texts y USING (type, id, field) WHERE x.state IS NOT y.state`,
    )
    .raw()
    .iterate() as IterableIterator<[string, Buffer, Buffer]>;
  for (const [field, x, y] of unlike) {
    const [tx, ty] = [decodeText(field, x), decodeText(field, y)];
    if (tx.text !== ty.text || tx.sv !== ty.sv) return false;
  }
  return true;
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
