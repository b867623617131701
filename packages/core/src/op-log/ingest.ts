/**
 * Ingest of a batch of remote ops (untrusted input) into the log.
 *
 * Each input gets a verdict (check-op.ts); the ops that pass are inserted and
 * materialised together; the others go to the quarantine with their reason.
 * One bad op never stops the batch. Runs inside the caller's transaction, so
 * the inserts, their effects, quarantine rows, acks and cursor commit as one.
 *
 * An op the materialiser cannot apply for its content (`apply` returns it)
 * stays in the log, unapplied, and is also quarantined as "unapplicable",
 * so it shows with its reason.
 *
 * Ops quarantined as "clock-ahead" are retried on every ingest: once the
 * local clock has caught up they enter the log (and the row is marked
 * released), so a replica whose clock was briefly behind still converges.
 */
import type Database from "better-sqlite3";
import type { Clock } from "../hlc.js";
import type { Op } from "../op/op.js";
import type { IngestResult } from "../sync/syncable-replica.js";
import { checkRemoteOp, type Verdict } from "./check-op.js";
import { storeAndApply, type ApplyOps, type StoredOp } from "./append.js";
import { storedJson, storedJsons } from "./ops-store.js";
import { clockAheadRows, quarantineOp, releaseQuarantined } from "./quarantine.js";

export interface IngestContext {
  readonly project: string;
  readonly replica: string;
  readonly clock: Clock;
  /** Materialises ops just inserted into `ops`; returns those whose content it could not apply. */
  readonly apply: ApplyOps;
  readonly nowIso: () => string;
}

export interface IngestOutcome extends IngestResult {
  /** Ops newly stored, HLC order. */
  readonly appliedOps: ReadonlyArray<Op>;
  /** Ops of this replica seen in the batch (new or duplicate): the caller may ack them. */
  readonly ownIds: ReadonlyArray<string>;
}

export function ingestBatch(db: Database.Database, raws: ReadonlyArray<unknown>, from: string, ctx: IngestContext): IngestOutcome {
  const pending = new Map<string, string>();
  // The batch's ids looked up in one query (`ops` does not change before
  // storeAndApply); ids outside it (held clock-ahead ops) are looked up one by one.
  const batchIds = new Set<string>();
  for (const raw of raws) {
    const id = readId(raw);
    if (id !== undefined) batchIds.add(id);
  }
  const stored = storedJsons(db, [...batchIds]);
  const jsonOf = (id: string): string | undefined => pending.get(id) ?? (batchIds.has(id) ? stored.get(id) : storedJson(db, id));
  const check = (raw: unknown): Verdict => checkRemoteOp(raw, { project: ctx.project, clock: ctx.clock, jsonOf });
  const fresh: Array<StoredOp> = [];
  const ownIds: Array<string> = [];
  const accept = (v: Verdict & { _tag: "apply" }): void => {
    pending.set(v.op.id, v.encoded.json);
    fresh.push(v);
  };

  retryClockAhead(db, check, accept, ctx.nowIso);
  let duplicates = 0;
  let quarantined = 0;
  for (const raw of raws) {
    const v = check(raw);
    if (v._tag === "apply") accept(v);
    else if (v._tag === "duplicate") duplicates++;
    else {
      quarantined++;
      quarantineOp(db, { ...v.entry, from }, ctx.nowIso());
    }
    if (v._tag !== "quarantine" && v.op.replica === ctx.replica) ownIds.push(v.op.id);
  }
  const written = storeAndApply(db, fresh, ctx);
  const refused = new Map(written.unapplied.map((u) => [u.op, u.reason]));
  for (const op of written.ops) {
    const reason = refused.get(op.id);
    if (reason === undefined) continue;
    quarantineOp(db, { id: op.id, hlc: op.hlc, reason: "unapplicable", detail: reason, raw: op, from }, ctx.nowIso());
  }
  const appliedOps = written.ops.filter((op) => !refused.has(op.id));
  return { applied: appliedOps.length, duplicates, quarantined: quarantined + refused.size, appliedOps, ownIds };
}

function retryClockAhead(
  db: Database.Database,
  check: (raw: unknown) => Verdict,
  accept: (v: Verdict & { _tag: "apply" }) => void,
  nowIso: () => string,
): void {
  for (const row of clockAheadRows(db)) {
    const v = check(row.raw);
    if (v._tag === "quarantine") continue; // still ahead (or now clashing): stays held
    if (v._tag === "apply") accept(v);
    releaseQuarantined(db, row.qid, nowIso());
  }
}

function readId(raw: unknown): string | undefined {
  if (raw === null || typeof raw !== "object") return undefined;
  const id = (raw as Record<string, unknown>)["id"];
  return typeof id === "string" ? id : undefined;
}
