/**
 * Audit and replay for the front doors: the log (by entity, researcher or
 * time), blame, the project as it was at a point in time, conflicts and
 * resolve, verify, quarantine, and undo. Views are plain JSON-ready data;
 * a text op is shown by its field and size, not its Yjs bytes.
 */
import {
  type Blame,
  type Conflict,
  type EntityType,
  type HistoryEntry,
  type Op,
  type OpTimes,
  type QuarantineEntry,
  type Replica,
  type TreeNode,
  type UndoResult,
  type VerifyResult,
} from "@qc/core";
import { resolveRef } from "./research/refs.js";

export interface LogQuery {
  readonly entity?: { readonly type: EntityType; readonly ref: string };
  readonly actor?: string;
  /** HLCs or ISO times, both inclusive. */
  readonly since?: string;
  readonly until?: string;
}

/** One op of the log, with when it was written (`authoredAt`) and reached the server (`receivedAt`, `receivedLate`). */
export interface LogEntry extends OpTimes {
  readonly id: string;
  readonly actor: string;
  readonly kind: Op["kind"];
  readonly target: { readonly type: EntityType; readonly id: string };
  readonly body: unknown;
  readonly undoes?: string;
}

export function readLog(replica: Replica, query: LogQuery = {}): ReadonlyArray<LogEntry> {
  const { history } = replica.read;
  const entity =
    query.entity === undefined
      ? undefined
      : { type: query.entity.type, id: resolveRef(replica, query.entity.type, query.entity.ref, { deleted: true }) };
  const timed =
    query.since !== undefined || query.until !== undefined
      ? new Set(history.between(query.since, query.until).map((e) => e.op.id))
      : undefined;
  const entries =
    entity !== undefined
      ? history.ofEntity(entity.type, entity.id)
      : query.actor !== undefined
        ? history.byActor(query.actor)
        : history.between(query.since, query.until);
  return entries
    .filter(({ op }) => (query.actor === undefined || op.actor === query.actor) && (timed === undefined || timed.has(op.id)))
    .map(toEntry);
}

export function blameEntity(replica: Replica, type: EntityType, ref: string): { readonly id: string; readonly fields: Blame } {
  const id = resolveRef(replica, type, ref, { deleted: true });
  return { id, fields: replica.read.blame(type, id) };
}

export interface PastState {
  readonly at: string;
  readonly codes: ReadonlyArray<TreeNode>;
  readonly sources: ReadonlyArray<TreeNode>;
  /** The whole materialised state then (the canonical dump replicas compare), only with `{ state: true }`. */
  readonly state?: unknown;
}

/**
 * The project as it was at `at` (an HLC or ISO time): from the latest
 * checkpoint that can serve `at` (kept by idle maintenance), else a replay of
 * the log up to it. The whole state is dumped only with `{ state: true }`
 * (seconds on a large project; the trees alone are not).
 */
export function stateAt(replica: Replica, at: string, options: { readonly state?: boolean } = {}): PastState {
  const past = replica.read.asOf(at, options);
  return {
    at,
    codes: past.codes,
    sources: past.sources,
    ...(past.state !== undefined ? { state: JSON.parse(past.state) as unknown } : {}),
  };
}

export function listConflicts(replica: Replica, all: boolean): ReadonlyArray<Conflict> {
  return replica.read.conflicts({ includeResolved: all });
}

export function resolveConflict(replica: Replica, conflict: string): void {
  replica.commands.resolveConflict(conflict);
}

export function verify(replica: Replica): VerifyResult {
  return replica.read.verify();
}

export function quarantine(replica: Replica): ReadonlyArray<QuarantineEntry> {
  return replica.read.quarantine();
}

export type UndoRequest = { readonly op: string; readonly force?: boolean } | { readonly last: number; readonly force?: boolean };

export function undo(replica: Replica, request: UndoRequest): UndoResult {
  const options = { force: request.force === true };
  return "op" in request ? replica.commands.undo(request.op, options) : replica.commands.undoLast(request.last, options);
}

function toEntry({ op, ...times }: HistoryEntry): LogEntry {
  const body = op.kind === "text" ? { field: op.body.field, updateBytes: Math.floor((op.body.update.length * 3) / 4) } : op.body;
  const undoes = op.undoes === undefined ? {} : { undoes: op.undoes };
  return { id: op.id, actor: op.actor, kind: op.kind, target: op.target, body, ...undoes, ...times };
}
