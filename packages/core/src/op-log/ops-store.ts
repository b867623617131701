/**
 * Reads of the `ops` table: the one module that knows its row layout
 * (ops-table.ts, docs/decisions/0017). Every other module asks here and gets
 * `Op` values back, decoded from the exact canonical JSON that was stored
 * (the log only ever holds ops that passed `classifyOp`, so no re-decoding
 * on the way out). Ids and HLC bounds are HLC strings; the keys are this
 * module's business.
 */
import type Database from "better-sqlite3";
import type { EntityType, Op } from "../op/op.js";
import { HLC_KEY_ABOVE_ALL, HLC_KEY_BELOW_ALL, hlcBoundKey, hlcKey, hlcKeyOf, hlcOfKey } from "./hlc-key.js";
import { unpackBody } from "./op-body.js";
import { contentHash } from "./op-codec.js";
import { pluck, prep, prepPluck, prepRaw } from "./statements.js";

export interface OpRow {
  readonly seq: number;
  readonly op: Op;
  readonly hash: string;
}

/** Columns every op read selects, over `ops o` (`rowJson` reads them). */
const COLUMNS = "o.hlc, o.actor, o.body, t.id, p.id";
/** CROSS JOIN: ops drive the loop (by their own index), the dictionary is looked up by number. */
const ENTITIES = "CROSS JOIN op_targets t ON t.n = o.target CROSS JOIN op_targets p ON p.n = o.project";

type RawRow = [hlc: Buffer, actor: string, body: string, targetId: string, project: string];

/** The canonical JSON of a row read with COLUMNS. */
function rowJson(row: RawRow): string {
  const [key, actor, body, targetId, project] = row;
  return unpackBody(body, { hlc: hlcOfKey(key), project, targetId, actor });
}

/**
 * Ops of the rows `tail` selects from `from` (which names the log `ops o`),
 * in the order it gives. For the op log's own modules (outbox.ts); other
 * modules use the functions below.
 */
export function selectOps(db: Database.Database, from: string, tail: string, ...params: ReadonlyArray<unknown>): Array<Op> {
  const rows = prepRaw(db, `SELECT ${COLUMNS} FROM ${from} ${ENTITIES} ${tail}`).all(...params) as Array<RawRow>;
  return rows.map((row) => JSON.parse(rowJson(row)) as Op);
}

/** The canonical JSON stored for `id`, or undefined. */
export function storedJson(db: Database.Database, id: string): string | undefined {
  const key = hlcKeyOf(id);
  if (key === undefined) return undefined;
  const row = prepRaw(db, `SELECT ${COLUMNS} FROM ops o ${ENTITIES} WHERE o.hlc = ?`).get(key) as RawRow | undefined;
  return row === undefined ? undefined : rowJson(row);
}

/** The stored op with this id, or undefined. */
export function findOp(db: Database.Database, id: string): Op | undefined {
  const json = storedJson(lenderOf(db), id);
  return json === undefined ? undefined : (JSON.parse(json) as Op);
}

/**
 * Lets `findOp` on `state` (an in-memory database of materialised tables,
 * checkpoints.ts) read the ops of `log`: the materialiser reads an applied
 * op back by id, and a snapshot holds no copy of the log.
 */
export function lendOps(state: Database.Database, log: Database.Database): void {
  lenders.set(state, log);
}

const lenders = new WeakMap<Database.Database, Database.Database>();

function lenderOf(db: Database.Database): Database.Database {
  return lenders.get(db) ?? db;
}

export function hasOp(db: Database.Database, id: string): boolean {
  const key = hlcKeyOf(id);
  return key !== undefined && pluck<number>(db, "SELECT 1 FROM ops WHERE hlc = ?", key) !== undefined;
}

/**
 * The canonical JSON stored for each of many ids in one query (ids not
 * stored, or not HLCs, are absent); the same answers as `storedJson` per id,
 * for a batch's lookups.
 */
export function storedJsons(db: Database.Database, ids: ReadonlyArray<string>): Map<string, string> {
  const keys = ids.flatMap((id) => hlcKeyOf(id)?.toString("hex") ?? []);
  const rows = prepRaw(db, `SELECT ${COLUMNS} FROM ops o ${ENTITIES} WHERE o.hlc IN (SELECT unhex(value) FROM json_each(?))`).all(
    JSON.stringify(keys),
  ) as Array<RawRow>;
  return new Map(rows.map((row) => [hlcOfKey(row[0]), rowJson(row)]));
}

/** The canonical JSON of up to `limit` rows after `seq`, in seq order (a migration's page through the whole log). */
export function storedJsonsBySeq(
  db: Database.Database,
  after: number,
  limit: number,
): Array<{ readonly seq: number; readonly json: string }> {
  const rows = prepRaw(db, `SELECT o.seq, ${COLUMNS} FROM ops o ${ENTITIES} WHERE o.seq > ? ORDER BY o.seq LIMIT ?`).all(
    after,
    limit,
  ) as Array<[number, ...RawRow]>;
  return rows.map(([seq, ...row]) => ({ seq, json: rowJson(row) }));
}

/** Highest HLC in the log (every replica's ops), or undefined if empty. */
export function maxHlc(db: Database.Database): string | undefined {
  // On every transaction's clock raise: a cached statement, not a new prepare each time.
  const key = prepPluck(db, "SELECT max(hlc) FROM ops").get() as Buffer | null;
  return key === null ? undefined : hlcOfKey(key);
}

/** Highest HLC among the ops with seq <= `seq`, or undefined. */
export function maxHlcUpToSeq(db: Database.Database, seq: number): string | undefined {
  const key = prepPluck(db, "SELECT max(hlc) FROM ops WHERE seq <= ?").get(seq) as Buffer | null;
  return key === null ? undefined : hlcOfKey(key);
}

export function countOps(db: Database.Database): number {
  return (prep(db, "SELECT count(*) AS n FROM ops").get() as { n: number }).n;
}

/** Ops with HLC > `after` (all if undefined), HLC order. */
export function opsAfter(db: Database.Database, after?: string): ReadonlyArray<Op> {
  return selectOps(db, "ops o", "WHERE o.hlc > ? ORDER BY o.hlc", after === undefined ? HLC_KEY_BELOW_ALL : hlcBoundKey(after));
}

/** Ops with HLC <= `upTo`, HLC order. */
export function opsUpTo(db: Database.Database, upTo: string): ReadonlyArray<Op> {
  return selectOps(db, "ops o", "WHERE o.hlc <= ? ORDER BY o.hlc", hlcBoundKey(upTo));
}

/** The ops `filter` selects, HLC order. */
export function opsMatching(db: Database.Database, filter: OpFilter): Array<Op> {
  const [where, ...params] = filterSql(filter);
  return selectOps(db, "ops o", `WHERE ${where} ORDER BY o.hlc`, ...params);
}

/** Up to `limit` ops by `actor` with HLC below `before` (undefined: from the newest), newest first. */
export function actorOpsBefore(db: Database.Database, actor: string, before: string | undefined, limit: number): Array<Op> {
  const high = before === undefined ? HLC_KEY_ABOVE_ALL : hlcKey(before);
  return selectOps(db, "ops o", "WHERE o.actor = ? AND o.hlc < ? ORDER BY o.hlc DESC LIMIT ?", actor, high, limit);
}

/**
 * Up to `limit` ops stored after position `after` (seq), in arrival order,
 * each with its seq; only those with seq <= `upToSeq` and HLC <= `upToHlc`
 * when given.
 */
export function opsBySeq(
  db: Database.Database,
  after: number,
  limit: number,
  bounds: { readonly upToSeq?: number | undefined; readonly upToHlc?: string | undefined } = {},
): Array<{ readonly seq: number; readonly op: Op }> {
  const upToHlc = bounds.upToHlc === undefined ? HLC_KEY_ABOVE_ALL : hlcBoundKey(bounds.upToHlc);
  const rows = prepRaw(
    db,
    `SELECT o.seq, ${COLUMNS} FROM ops o ${ENTITIES} WHERE o.seq > ? AND o.seq <= ? AND o.hlc <= ? ORDER BY o.seq LIMIT ?`,
  ).all(after, bounds.upToSeq ?? Number.MAX_SAFE_INTEGER, upToHlc, limit) as Array<[number, ...RawRow]>;
  return rows.map(([seq, ...row]) => ({ seq, op: JSON.parse(rowJson(row)) as Op }));
}

/**
 * Every op in HLC order, `pageSize` at a time (for a rebuild of the
 * materialised tables: pages keep memory flat on a large log).
 */
export function* opPagesByHlc(db: Database.Database, pageSize: number): Generator<Array<Op>> {
  const page = prepRaw(db, `SELECT ${COLUMNS} FROM ops o ${ENTITIES} WHERE o.hlc > ? ORDER BY o.hlc LIMIT ?`);
  let after: Buffer = HLC_KEY_BELOW_ALL;
  for (;;) {
    const rows = page.all(after, pageSize) as Array<RawRow>;
    const last = rows[rows.length - 1];
    if (last === undefined) return;
    after = last[0];
    yield rows.map((row) => JSON.parse(rowJson(row)) as Op);
  }
}

/**
 * Ops of `filter`, HLC order, each with the server's receive time if pull
 * reported one (op_receipts).
 */
export function opsWithReceipts(
  db: Database.Database,
  filter: OpFilter,
): ReadonlyArray<{ readonly op: Op; readonly receivedAt: number | undefined }> {
  const [where, ...params] = filterSql(filter);
  const rows = prepRaw(
    db,
    `SELECT ${COLUMNS}, r.received_at FROM ops o ${ENTITIES} LEFT JOIN op_receipts r ON r.hlc = o.hlc WHERE ${where} ORDER BY o.hlc`,
  ).all(...params) as Array<[...RawRow, number | null]>;
  return rows.map((row) => ({ op: JSON.parse(rowJson(row.slice(0, 5) as RawRow)) as Op, receivedAt: row[5] ?? undefined }));
}

/** One entity's ops, one researcher's, or those between two HLC bounds (inclusive; `hlcBoundKey`; undefined = open). */
export type OpFilter =
  | { readonly target: { readonly type: EntityType; readonly id: string } }
  | { readonly actor: string }
  | { readonly from: string | undefined; readonly to: string | undefined };

function filterSql(filter: OpFilter): [string, ...Array<unknown>] {
  if ("target" in filter) return ["o.target = (SELECT n FROM op_targets WHERE type = ? AND id = ?)", filter.target.type, filter.target.id];
  if ("actor" in filter) return ["o.actor = ?", filter.actor];
  const low = filter.from === undefined ? HLC_KEY_BELOW_ALL : hlcBoundKey(filter.from);
  const high = filter.to === undefined ? HLC_KEY_ABOVE_ALL : hlcBoundKey(filter.to);
  return ["o.hlc >= ? AND o.hlc <= ?", low, high];
}

/** Every row with its local seq and content hash, in seq order (for audits and tests). */
export function allOpRows(db: Database.Database): ReadonlyArray<OpRow> {
  return allStoredJson(db).map(({ seq, op, hash }) => ({ seq, op: JSON.parse(op) as Op, hash }));
}

/** Every row's canonical JSON and content hash hex, in seq order: the stored bytes, for migrations' and tests' exact comparisons. */
export function allStoredJson(db: Database.Database): ReadonlyArray<{ readonly seq: number; readonly op: string; readonly hash: string }> {
  const rows = prepRaw(db, `SELECT o.seq, ${COLUMNS} FROM ops o ${ENTITIES} ORDER BY o.seq`).all() as Array<[number, ...RawRow]>;
  return rows.map(([seq, ...row]) => {
    const op = rowJson(row);
    return { seq, op, hash: contentHash(op) };
  });
}
