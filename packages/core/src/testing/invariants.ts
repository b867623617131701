/**
 * Checks of the materialised state used by the property tests: arrival
 * replays, tree acyclicity and segment sanity. Each throws (with the
 * offending rows) when an invariant is broken.
 */
import type Database from "better-sqlite3";
import type { Op } from "../op/op.js";
import { makePrng } from "./pure/prng.js";
import { canonicalState, isLive } from "../materialiser/index.js";
import { byHlc, ingest, openTestDb } from "./materialiser-db.js";
import { readText } from "../materialiser/text.js";

/** Canonical state of a fresh replica that received `batches` in that order. */
export function stateAfter(batches: ReadonlyArray<ReadonlyArray<Op>>): string {
  const db = openTestDb();
  try {
    for (const batch of batches) ingest(db, batch);
    return canonicalState(db);
  } finally {
    db.close();
  }
}

/** The reference: the op set replayed in HLC order in one batch. */
export function referenceState(ops: ReadonlyArray<Op>): string {
  return stateAfter([[...ops].sort(byHlc)]);
}

/** A random arrival: shuffled, some ops duplicated, cut into random batches. */
export function randomArrival(ops: ReadonlyArray<Op>, seed: number): Array<Array<Op>> {
  const random = makePrng(seed);
  const stream = [...ops, ...ops.filter(() => random() < 0.2)];
  for (let i = stream.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [stream[i], stream[j]] = [stream[j] as Op, stream[i] as Op];
  }
  const batches: Array<Array<Op>> = [];
  for (const op of stream) {
    const last = batches[batches.length - 1];
    if (last === undefined || random() < 0.3) batches.push([op]);
    else last.push(op);
  }
  return batches;
}

export function assertTreesAcyclic(db: Database.Database): void {
  const rows = db.prepare("SELECT tree, node, parent FROM m_tree_nodes").raw(true).all() as Array<[string, string, string | null]>;
  const parents = new Map(rows.map(([tree, node, parent]) => [`${tree}/${node}`, parent]));
  for (const [tree, node] of rows) {
    const seen = new Set<string>([node]);
    for (let p = parents.get(`${tree}/${node}`) ?? null; p !== null; p = parents.get(`${tree}/${p}`) ?? null) {
      if (seen.has(p)) throw new Error(`cycle in ${tree} tree: ${[...seen].join(" -> ")} -> ${p}`);
      seen.add(p);
    }
  }
  const effective = db.prepare("SELECT type, id, eff_parent FROM m_entities WHERE eff_parent IS NOT NULL").raw(true).all() as Array<
    [string, string, string]
  >;
  for (const [type, id, parent] of effective) {
    const parentType = type === "category" || type === "code" ? "category" : "folder";
    if (!isLive(db, parentType, parent)) throw new Error(`${type} ${id}: effective parent ${parent} is not a live ${parentType}`);
  }
}

export function assertLiveSegmentsSound(db: Database.Database): void {
  const rows = db
    .prepare(
      `SELECT s.id, s.source, s.eff_code, s.start_idx, s.end_idx, r.value FROM m_segments s
       LEFT JOIN m_registers r ON r.type = 'segment' AND r.id = s.id AND r.field = 'start' WHERE s.live = 1`,
    )
    .raw(true)
    .all() as Array<[string, string, string, number, number, string]>;
  for (const [id, source, code, start, end, startAnchor] of rows) {
    const textAnchors = typeof JSON.parse(startAnchor) === "string";
    const text = textAnchors ? (readText(db, "source", source, "content") ?? null) : "";
    const where = `segment ${id} (${start}..${end} of ${text === null ? "no text" : text.length})`;
    if (!isLive(db, "code", code)) throw new Error(`${where}: effective code ${code} is not live`);
    if (!isLive(db, "source", source)) throw new Error(`${where}: source ${source} is not live`);
    // Yjs indexes are UTF-16 code units, like String.prototype.length.
    if (text === null || !(0 <= start && start <= end && (!textAnchors || end <= text.length))) {
      throw new Error(`${where}: not within its source text`);
    }
  }
}
