/**
 * The outbox is the op log itself (docs/design.md §6, decision 0002): own ops
 * (the key's last 8 bytes are this replica) the remote has not acknowledged,
 * oldest HLC first. Nothing is queued, so a restart loses nothing and a
 * re-push is harmless (pushes are idempotent by op id).
 *
 * Own ops get strictly increasing HLCs and are pushed in HLC order, so the
 * acks are a prefix: meta `acked_through` (an HLC) says "every own op up to
 * here is acked" (decision 0024). Two tables hold what a prefix cannot say,
 * both empty as a rule:
 * - `acks`: own ops above the position that are acked all the same (a push
 *   answer that acked part of a batch, own ops pulled from the server while
 *   an older own op still waits);
 * - `outbox_behind`: own ops at or below the position that still wait (an
 *   own op the log first got by `ingest`, say from a backup, after later ones
 *   were acked).
 * So the outbox is `outbox_behind`, then own ops above the position without
 * a row in `acks`. `ops_own_time`, a partial index of own ops, finds them in
 * HLC order at the cost of the backlog, whatever number of remote ops the
 * log holds after the position. It holds only the keys' time part (their
 * first 8 bytes): the replica part is this file's replica in every entry,
 * so among own ops the time part alone is the HLC order, at 8 bytes an
 * entry less than the whole key (docs/decisions/0030).
 */
import type Database from "better-sqlite3";
import type { Op } from "../op/op.js";
import { HLC_KEY_BELOW_ALL, hlcKey, hlcKeyOf, hlcOfKey, replicaKey } from "./hlc-key.js";
import { selectOps } from "./ops-store.js";
import { pluck, pluckAll, prep, prepRaw } from "./statements.js";

export interface Outbox {
  readonly read: (limit: number) => ReadonlyArray<Op>;
  readonly size: () => number;
  /** Records acks for own ops in the log; other ids are ignored. Caller owns the transaction. */
  readonly ack: (ids: ReadonlyArray<string>, at: string) => void;
  /** Ops just stored (any path): an own op at or below the position waits in `outbox_behind`. */
  readonly stored: (ops: ReadonlyArray<Op>) => void;
  /** Forgets every ack: every own op waits again. */
  readonly reset: () => void;
}

/** Makes the outbox of `replica` (16 hex, checked by the caller) and its index, if missing. */
export function makeOutbox(db: Database.Database, replica: string): Outbox {
  const own = replicaKey(replica);
  if (own.length !== 8 || own.toString("hex") !== replica) throw new Error(`qc defect: replica ${JSON.stringify(replica)} is not 16 hex`);
  // The literal, not a parameter: SQLite uses a partial index only for a query whose WHERE has its term.
  const isOwn = `substr(o.hlc, 9) = X'${replica}'`;
  // `ops_own` (schema 9, decision 0024) indexed the whole key; a file that has it gets the smaller index once.
  db.exec(`DROP INDEX IF EXISTS ops_own;
    CREATE INDEX IF NOT EXISTS ops_own_time ON ops(substr(hlc, 1, 8)) WHERE substr(hlc, 9) = X'${replica}'`);
  // Own ops after a key, bound as `...after(key)`: the index range on the time part, then the exact key
  // order (equal time parts are the same own key; the position may be HLC_KEY_BELOW_ALL, of no replica).
  const ownAfterWhere = `WHERE ${isOwn} AND substr(o.hlc, 1, 8) >= ? AND o.hlc > ?`;
  const ownAfter = `ops o INDEXED BY ops_own_time ${ownAfterWhere}`;
  const inOrder = "ORDER BY substr(o.hlc, 1, 8)";
  // The time part cut in JS: SQLite's substr() of a zero-length blob (HLC_KEY_BELOW_ALL) is NULL.
  const after = (key: Buffer): [Buffer, Buffer] => [key.subarray(0, 8), key];

  const through = (): string | undefined => pluck<string>(db, "SELECT value FROM meta WHERE key = 'acked_through'");
  const position = (): Buffer => {
    const hlc = through();
    return hlc === undefined ? HLC_KEY_BELOW_ALL : hlcKey(hlc);
  };
  const heldAcks = (): number => pluck<number>(db, "SELECT count(*) FROM acks") ?? 0;
  // One statement for what a read needs to know first: the two exception tables are empty as a rule, and
  // their queries cost as much as the read of a small backlog.
  const readState = prepRaw(
    db,
    "SELECT (SELECT value FROM meta WHERE key = 'acked_through'), EXISTS (SELECT 1 FROM acks), EXISTS (SELECT 1 FROM outbox_behind)",
  );

  return {
    read: (limit) => {
      const n = Math.max(0, Math.floor(limit));
      const [hlc, held, waitBehind] = readState.get() as [string | null, number, number];
      const behind =
        waitBehind === 1 ? selectOps(db, "outbox_behind b CROSS JOIN ops o ON o.hlc = b.hlc", "ORDER BY b.hlc LIMIT ?", n) : [];
      if (behind.length === n) return behind;
      const unacked = held === 1 ? "AND NOT EXISTS (SELECT 1 FROM acks a WHERE a.hlc = o.hlc)" : "";
      const from = hlc === null ? HLC_KEY_BELOW_ALL : hlcKey(hlc);
      const ahead = selectOps(
        db,
        "ops o INDEXED BY ops_own_time",
        `${ownAfterWhere} ${unacked} ${inOrder} LIMIT ?`,
        ...after(from),
        n - behind.length,
      );
      return behind.length === 0 ? ahead : [...behind, ...ahead];
    },

    // `acks` holds only own stored ops above the position, so a subtraction, not a join.
    size: () =>
      pluck<number>(
        db,
        `SELECT (SELECT count(*) FROM ${ownAfter}) - (SELECT count(*) FROM acks) + (SELECT count(*) FROM outbox_behind)`,
        ...after(position()),
      ) ?? 0,

    ack: (ids, at) => {
      const from = position();
      const ahead = new Set<string>();
      const behind: Array<Buffer> = [];
      for (const id of ids) {
        const key = hlcKeyOf(id);
        if (key === undefined || !key.subarray(8).equals(own)) continue;
        if (Buffer.compare(key, from) > 0) ahead.add(key.toString("hex"));
        else behind.push(key);
      }
      // A pull hands back every own op it holds, acked long ago: one look at the (empty) table, not a statement each.
      if (behind.length > 0 && pluck<number>(db, "SELECT 1 FROM outbox_behind LIMIT 1") === 1)
        for (const key of behind) prep(db, "DELETE FROM outbox_behind WHERE hlc = ?").run(key);
      if (ahead.size === 0) return;
      // Walk the own ops after the position while each is acked (now or before): each step uses up one ack,
      // so no more steps than acks. Normally the batch just pushed, in order, and `acks` stays empty.
      const held = heldAcks();
      const next = pluckAll<Buffer>(db, `SELECT o.hlc FROM ${ownAfter} ${inOrder} LIMIT ?`, ...after(from), ahead.size + held);
      let last: Buffer | undefined;
      for (const key of next) {
        const acked = ahead.delete(key.toString("hex")) || (held > 0 && pluck<number>(db, "SELECT 1 FROM acks WHERE hlc = ?", key) === 1);
        if (!acked) break;
        last = key;
      }
      if (last !== undefined) {
        prep(db, "INSERT OR REPLACE INTO meta (key, value) VALUES ('acked_through', ?)").run(hlcOfKey(last));
        if (held > 0) prep(db, "DELETE FROM acks WHERE hlc <= ?").run(last);
      }
      // Acked beyond an op that still waits: kept as rows (unknown ids are ignored).
      const keep = prep(db, "INSERT OR IGNORE INTO acks (hlc, acked_at) SELECT hlc, ? FROM ops WHERE hlc = ?");
      for (const hex of ahead) keep.run(at, Buffer.from(hex, "hex"));
    },

    stored: (ops) => {
      let hlc: string | undefined | null = null; // read once, and only if an own op came
      for (const op of ops) {
        if (!op.hlc.endsWith(replica)) continue; // the key's replica part, as `ops_own_time` reads it
        if (hlc === null) hlc = through();
        if (hlc !== undefined && op.hlc <= hlc) prep(db, "INSERT OR IGNORE INTO outbox_behind (hlc) VALUES (?)").run(hlcKey(op.hlc));
      }
    },

    reset: () => db.exec("DELETE FROM meta WHERE key = 'acked_through'; DELETE FROM acks; DELETE FROM outbox_behind;"),
  };
}
