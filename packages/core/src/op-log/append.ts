/**
 * The local append: this replica's own ops (built by the commands) enter the
 * log here; remote ops enter through `ingest.ts`. Both store through
 * `storeAndApply`, inside the caller's transaction.
 *
 * A local op passes the same decoder remote ops pass, so a replica never
 * writes what its peers would quarantine; a refusal is a bug in a command
 * (`invalid-local-op`), never user input.
 */
import type Database from "better-sqlite3";
import type { Op } from "../op/op.js";
import { OpLogError } from "./errors.js";
import { classifyAndEncode, encodeOp, type EncodedOp } from "./op-codec.js";
import { insertOps } from "./ops-table.js";

export type Unapplied = { readonly op: string; readonly reason: string };

/** Materialises ops just inserted into `ops`; returns those whose content it could not apply. */
export type ApplyOps = (db: Database.Database, ops: ReadonlyArray<Op>) => ReadonlyArray<Unapplied> | void;

/** Checks, stores and materialises this replica's own ops. */
export function appendLocal(db: Database.Database, ops: ReadonlyArray<Op>, ctx: { readonly apply: ApplyOps }): void {
  storeAndApply(db, ops.map(checkLocalOp), ctx);
}

export interface StoredOp {
  readonly op: Op;
  readonly encoded: EncodedOp;
}

/** Inserts ops (already checked, ids new) and materialises them, HLC order; says which the materialiser could not apply. */
export function storeAndApply(
  db: Database.Database,
  rows: ReadonlyArray<StoredOp>,
  ctx: { readonly apply: ApplyOps },
): { readonly ops: ReadonlyArray<Op>; readonly unapplied: ReadonlyArray<Unapplied> } {
  if (rows.length === 0) return { ops: [], unapplied: [] };
  const sorted = [...rows].sort((a, b) => (a.op.hlc < b.op.hlc ? -1 : a.op.hlc > b.op.hlc ? 1 : 0));
  const encoded = new Map(sorted.map((r) => [r.op.id, r.encoded]));
  const ops = sorted.map((r) => r.op);
  insertOps(db, ops, (op) => encoded.get(op.id) ?? encodeOp(op));
  return { ops, unapplied: ctx.apply(db, ops) ?? [] };
}

/** The decoder's verdict and, from the same walk, the canonical JSON and hash (op-codec.ts). */
function checkLocalOp(op: Op): StoredOp {
  const { classification: c, encoded } = classifyAndEncode(op);
  if (c._tag === "valid") return { op: c.op, encoded: encoded ?? encodeOp(c.op) };
  const why = c._tag === "invalid" ? c.error.message : c.reason;
  throw new OpLogError({
    reason: "invalid-local-op",
    message: `refused to write local op ${op.id} (${op.kind} ${op.target.type}): ${why}`,
  });
}
