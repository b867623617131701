/**
 * Undo of a `text` op as a new Yjs update (docs/spec/undo.md): the
 * characters the op inserted are deleted and the characters it deleted are
 * inserted again at their place, while every other edit — later ones by
 * others included — stays.
 *
 * What the op did is read from the log, never from the merged text (whose
 * compaction drops deleted content): its inserted items are the structs of
 * its update that the field's earlier ops (lower HLC) did not already hold;
 * its deletions are its delete set minus the earlier ops' deletions (an
 * update made by `encodeStateAsUpdate` carries the author's whole delete
 * set). The field's doc is rebuilt from every text op of the field with
 * garbage collection off, and a Y.UndoManager pops one hand-made stack item
 * holding exactly those insertions and deletions — Yjs's own undo, so a
 * re-inserted character lands where Yjs would put it back.
 *
 * Pure: Yjs only. Deterministic given the same ops and client id.
 */
import * as Y from "yjs";
import type { Op, TextOp } from "../../op/op.js";

/** The base64 update that undoes `op`, or undefined when undoing it would change nothing. */
export function textUndoUpdate(fieldOps: ReadonlyArray<Op>, op: TextOp, clientId: number): string | undefined {
  const earlier = fieldOps.filter((o) => o.hlc < op.hlc);
  const before = docOf(earlier);
  const own = Y.decodeUpdate(fromBase64(op.body.update));
  const insertions = insertedRanges(own.structs, Y.decodeStateVector(Y.encodeStateVector(before)));
  const deletions = subtract(subtract(rangesOf(own.ds), rangesOf(Y.createDeleteSetFromStructStore(before.store))), insertions);
  before.destroy();
  const now = docOf(fieldOps, clientId);
  try {
    return undoInDoc(now, op.body.field, insertions, deletions);
  } finally {
    now.destroy();
  }
}

type DeleteSet = ReturnType<typeof Y.createDeleteSet>;

/** Half-open clock ranges per Yjs client, sorted and disjoint. */
type Ranges = Map<number, Array<readonly [number, number]>>;

function undoInDoc(doc: Y.Doc, field: string, insertions: Ranges, deletions: Ranges): string | undefined {
  const updates: Array<Uint8Array> = [];
  doc.on("update", (update: Uint8Array) => updates.push(update));
  const manager = new Y.UndoManager(doc.getText(field), { captureTransaction: () => false });
  // A stack item is plain data (insertions, deletions, meta); Yjs does not export its class.
  manager.undoStack.push({ insertions: toDeleteSet(insertions), deletions: toDeleteSet(deletions), meta: new Map() });
  manager.undo();
  manager.destroy();
  if (updates.length === 0) return undefined;
  return Buffer.from(Y.mergeUpdates(updates)).toString("base64");
}

function docOf(ops: ReadonlyArray<Op>, clientId?: number): Y.Doc {
  const doc = new Y.Doc({ gc: false });
  const updates = ops.flatMap((o) => (o.kind === "text" ? [fromBase64(o.body.update)] : []));
  if (updates.length > 0) Y.applyUpdate(doc, Y.mergeUpdates(updates));
  // After loading: Yjs picks a new client id if an update holds structs of its own id.
  if (clientId !== undefined) doc.clientID = clientId;
  return doc;
}

function insertedRanges(structs: ReadonlyArray<unknown>, known: Map<number, number>): Ranges {
  const out: Ranges = new Map();
  for (const struct of structs) {
    if (!(struct instanceof Y.Item)) continue; // GC and Skip structs insert nothing
    const { client, clock } = struct.id;
    const start = Math.max(clock, known.get(client) ?? 0);
    const end = clock + struct.length;
    if (start < end) add(out, client, start, end);
  }
  return normalise(out);
}

function rangesOf(ds: DeleteSet): Ranges {
  const out: Ranges = new Map();
  for (const [client, items] of ds.clients) for (const item of items) add(out, client, item.clock, item.clock + item.len);
  return normalise(out);
}

function add(ranges: Ranges, client: number, start: number, end: number): void {
  const list = ranges.get(client) ?? [];
  list.push([start, end]);
  ranges.set(client, list);
}

function normalise(ranges: Ranges): Ranges {
  const out: Ranges = new Map();
  for (const [client, list] of ranges) {
    const merged: Array<[number, number]> = [];
    for (const [s, e] of [...list].sort((a, b) => a[0] - b[0])) {
      const last = merged[merged.length - 1];
      if (last !== undefined && s <= last[1]) last[1] = Math.max(last[1], e);
      else merged.push([s, e]);
    }
    if (merged.length > 0) out.set(client, merged);
  }
  return out;
}

/** `a` without `b` (both normalised). */
function subtract(a: Ranges, b: Ranges): Ranges {
  const out: Ranges = new Map();
  for (const [client, list] of a) {
    const cuts = b.get(client) ?? [];
    for (const [s0, e] of list) {
      let s = s0;
      for (const [cs, ce] of cuts) {
        if (ce <= s || cs >= e) continue;
        if (cs > s) add(out, client, s, cs);
        s = Math.max(s, ce);
      }
      if (s < e) add(out, client, s, e);
    }
  }
  return normalise(out);
}

function toDeleteSet(ranges: Ranges): DeleteSet {
  const ds = Y.createDeleteSet();
  for (const [client, list] of ranges)
    ds.clients.set(
      client,
      list.map(([s, e]) => ({ clock: s, len: e - s })),
    );
  return ds;
}

function fromBase64(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s, "base64"));
}
