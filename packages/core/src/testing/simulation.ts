/**
 * Simulated replicas for the property tests: each has its own SQLite
 * materialiser, HLC clock (with its own skew, so some of its ops arrive
 * "late" elsewhere) and actor, and builds ops the way the commands will:
 * from its local view (read helpers), with `prev` from `registerWriters`,
 * text edits made on real Y.Docs and segment anchors as real Yjs relative
 * positions. A script of steps (drawn by fast-check) drives them; `sync`
 * steps deliver one replica's ops to another.
 *
 * Moves and merges deliberately ignore `wouldCreateCycle`, so cycles occur.
 * Y.Doc client ids are fixed per replica so a seed reproduces the same ops.
 */
import type Database from "better-sqlite3";
import * as Y from "yjs";
import { makeClock } from "../hlc.js";
import type { Clock } from "../hlc.js";
import { makeOpBuilder, type OpInit } from "./pure/op-builder.js";
import { TEST_EPOCH_MS } from "./pure/test-hlc.js";
import type { EntityType, Op, OpKind } from "../op/op.js";
import { encodeTextAnchors, getEntity, listConflicts, listEntities, listLinks, loadText, registerWriters } from "../materialiser/index.js";
import { ingest, openTestDb } from "./materialiser-db.js";

export interface Step {
  readonly replica: number;
  readonly action: number;
  readonly a: number;
  readonly b: number;
  readonly c: number;
}

export interface Replica {
  readonly index: number;
  readonly id: string;
  readonly db: Database.Database;
  readonly clock: Clock;
  readonly known: Map<string, Op>;
}

export const REPLICA_COUNT = 3;
export const ACTION_COUNT = 28;
const NAMES = ["Anger", "ANGER", "Joy", "Ä", "A\u0308", "Trust"];
const COLORS = ["#ff0000", "#00ff00", "#0000ff"];
const WORDS = ["a", "bc", "def ", "Ω", "\n"];

/** Runs the script; returns the replicas (with their dbs) and every op made, in creation order. */
export function runScript(steps: ReadonlyArray<Step>, skews: ReadonlyArray<number>): { replicas: Array<Replica>; ops: Array<Op> } {
  let time = 0;
  const replicas: Array<Replica> = [];
  for (let i = 0; i < REPLICA_COUNT; i++) {
    const id = `${(i + 1).toString(16)}`.repeat(16).slice(0, 16);
    const skew = skews[i] ?? 0;
    replicas.push({
      index: i,
      id,
      db: openTestDb(),
      clock: makeClock({ replica: id, now: () => TEST_EPOCH_MS + time + skew, maxDriftMs: 1e12 }),
      known: new Map(),
    });
  }
  const all: Array<Op> = [];
  const build = makeOpBuilder({ project: "project-1", validate: false });
  let counter = 0;
  const emit = <K extends OpKind>(r: Replica, init: OpInit<K>): Op => {
    // Not decoded here (the decoder is too slow for thousands of runs); validity.test.ts decodes samples.
    const op = build({ ...init, replica: r.id, actor: `actor-${r.index}`, hlc: r.clock.tick() });
    ingest(r.db, [op]);
    r.known.set(op.id, op);
    all.push(op);
    return op;
  };
  for (const step of steps) {
    time += 1 + (step.c % 3);
    const r = replicas[step.replica % REPLICA_COUNT];
    if (r === undefined) continue;
    const ctx: Ctx = { r, step, replicas, emit, fresh: (p) => `${p}-${r.index}-${counter++}` };
    act(ctx);
  }
  return { replicas, ops: all };
}

/** Delivers every op `from` knows to `to` (one batch), as sync would. */
export function deliver(from: Replica, to: Replica): void {
  const missing = [...from.known.values()].filter((op) => !to.known.has(op.id));
  if (missing.length === 0) return;
  ingest(to.db, missing);
  for (const op of missing) {
    to.known.set(op.id, op);
    to.clock.receive(op.hlc);
  }
}

interface Ctx {
  readonly r: Replica;
  readonly step: Step;
  readonly replicas: ReadonlyArray<Replica>;
  readonly emit: <K extends OpKind>(r: Replica, init: OpInit<K>) => Op;
  readonly fresh: (prefix: string) => string;
}

function act(ctx: Ctx): void {
  const { r, step, emit } = ctx;
  const { a, b } = step;
  switch (step.action % ACTION_COUNT) {
    case 0:
      return void emit(r, create("category", ctx.fresh("cat"), { name: pick(NAMES, a), parent: pickId(r, "category", b) }));
    case 1:
      return void emit(r, create("code", ctx.fresh("code"), { name: pick(NAMES, a), parent: pickId(r, "category", b) }));
    case 2: {
      const id = ctx.fresh("src");
      const kind = step.c % 4 === 0 ? "pdf" : "text"; // pdf: segments with numeric anchors
      emit(r, create("source", id, { name: pick(NAMES, a), kind, parent: pickId(r, "folder", b) }));
      return kind === "text" ? editText(ctx, "source", id, "content") : undefined;
    }
    case 3:
      return void emit(r, create("case", ctx.fresh("case"), { name: pick(NAMES, a) }));
    case 4:
      return void emit(r, create("folder", ctx.fresh("folder"), { name: pick(NAMES, a), parent: pickId(r, "folder", b) }));
    case 23:
    case 5:
      return setField(ctx, pick(["code", "category", "source", "case"] as const, a), "name", pick(NAMES, b));
    case 24:
      // Few targets, so replicas that do not sync often write the same register: concurrent edits.
      return setField(ctx, "code", pick(["name", "color"] as const, a), a % 2 === 0 ? pick(NAMES, b) : pick(COLORS, b), 0);
    case 26: {
      // Deleting inner nodes: children show under the nearest live ancestor.
      const type = a % 2 === 0 ? "category" : "folder";
      const id = pickId(r, type, b);
      if (id !== null) emit(r, { kind: b % 3 === 0 ? "restore" : "delete", target: { type, id }, body: {} });
      return;
    }
    case 6:
      return setField(ctx, "code", "color", pick(COLORS, b));
    case 7:
    case 8:
      return editText(ctx, "source", need(ctx, "source", a), "content");
    case 9:
    case 10: {
      const type = pick(["code", "category", "source", "segment", "folder", "case"] as const, a);
      const id = pickId(r, type, b);
      if (id !== null) emit(r, { kind: step.action % ACTION_COUNT === 9 ? "delete" : "restore", target: { type, id }, body: {} });
      return;
    }
    case 11:
      return move(ctx);
    case 25:
    case 12: {
      const from = need(ctx, "code", a);
      // Mostly into another code (self-merges happen when only one code is known).
      const into = need(ctx, "code", b) === from && b % 4 !== 0 ? need(ctx, "code", b + 1) : need(ctx, "code", b);
      emit(r, { kind: "merge", target: { type: "code", id: from }, body: { into } });
      return;
    }
    case 13:
    case 14:
      return createSegment(ctx);
    case 15:
      return setField(ctx, "segment", "code", pickId(r, "code", b));
    case 16: {
      const c = need(ctx, "case", a);
      emit(r, { kind: "link", target: { type: "case", id: c }, body: { source: need(ctx, "source", b) } });
      return;
    }
    case 17: {
      const links = listLinks(r.db);
      const link = links.length === 0 ? undefined : links[a % links.length];
      if (link !== undefined) emit(r, { kind: "unlink", target: { type: "case", id: link.case }, body: { adds: link.adds } });
      return;
    }
    case 18: {
      const conflicts = listConflicts(r.db);
      const conflict = conflicts.length === 0 ? undefined : conflicts[a % conflicts.length];
      if (conflict !== undefined)
        emit(r, { kind: "resolve", target: { type: "project", id: "project-1" }, body: { conflict: conflict.id } });
      return;
    }
    case 19: {
      // A second create of an existing id (a buggy client; still a pure function of the op set).
      const type = pick(["code", "category", "case"] as const, a);
      const id = pickId(r, type, b);
      if (id !== null) emit(r, create(type, id, { name: pick(NAMES, step.c) }));
      return;
    }
    case 27:
      // Everyone meets: the shared view after which concurrent edits of one register are likely.
      for (const to of ctx.replicas) for (const from of ctx.replicas) if (from !== to) deliver(from, to);
      return;
    default: {
      const from = ctx.replicas[a % ctx.replicas.length];
      if (from !== undefined && from !== r) deliver(from, r);
    }
  }
}

function create(type: EntityType, id: string, fields: Record<string, string | null>): OpInit<"create"> {
  return { kind: "create", target: { type, id }, body: { fields } };
}

function setField(ctx: Ctx, type: EntityType, field: string, value: string | null, pickAt?: number): void {
  const n = pickAt ?? ctx.step.a + ctx.step.c;
  const id = isNamedType(type) ? need(ctx, type, n) : pickId(ctx.r, type, n);
  if (id === null || value === null) return;
  const prev = registerWriters(ctx.r.db, type, id, field);
  ctx.emit(ctx.r, { kind: "set", target: { type, id }, body: { field, value }, prev });
}

function move(ctx: Ctx): void {
  const { r, step } = ctx;
  const type = pick(["category", "code", "folder", "source"] as const, step.a);
  const id = pickId(r, type, step.b);
  if (id === null) return;
  const parentType = type === "category" || type === "code" ? "category" : "folder";
  const parent = step.c % 5 === 0 ? null : pickId(r, parentType, step.c);
  ctx.emit(r, { kind: "move", target: { type, id }, body: { parent } });
}

function editText(ctx: Ctx, type: EntityType, id: string, field: string): void {
  const doc = loadText(ctx.r.db, type, id, field);
  doc.clientID = ctx.r.index + 1;
  const text = doc.getText(field);
  const before = Y.encodeStateVector(doc);
  const len = text.length;
  const { a, b, c } = ctx.step;
  if (len > 0 && c % 3 === 0) text.delete(a % len, 1 + (b % Math.min(4, len - (a % len))));
  else text.insert(len === 0 ? 0 : a % (len + 1), pick(WORDS, b) + pick(WORDS, c));
  const update = Buffer.from(Y.encodeStateAsUpdate(doc, before)).toString("base64");
  doc.destroy();
  ctx.emit(ctx.r, { kind: "text", target: { type, id }, body: { field, update } });
}

function createSegment(ctx: Ctx): void {
  const { r, step } = ctx;
  const source = need(ctx, "source", step.a);
  const code = need(ctx, "code", step.b);
  if (getEntity(r.db, "source", source)?.fields["kind"] === "pdf") {
    const fields = { code, source, start: step.c, end: step.c + step.a };
    return void ctx.emit(r, { kind: "create", target: { type: "segment", id: ctx.fresh("seg") }, body: { fields } });
  }
  const doc = loadText(r.db, "source", source, "content");
  const len = doc.getText("content").length;
  if (len === 0) return doc.destroy();
  const start = step.c % len;
  const end = start + 1 + (step.a % (len - start));
  const anchors = encodeTextAnchors(doc, "content", start, end);
  doc.destroy();
  ctx.emit(r, { kind: "create", target: { type: "segment", id: ctx.fresh("seg") }, body: { fields: { code, source, ...anchors } } });
}

type NamedType = "code" | "category" | "source" | "case" | "folder";

function isNamedType(type: EntityType): type is NamedType {
  return type === "code" || type === "category" || type === "source" || type === "case" || type === "folder";
}

/** An entity of `type` this replica sees, creating one first if it sees none. */
function need(ctx: Ctx, type: NamedType, n: number): string {
  const id = pickId(ctx.r, type, n);
  if (id !== null) return id;
  const created = ctx.fresh(type);
  const fields: Record<string, string | null> = { name: pick(NAMES, n) };
  if (type === "source") fields["kind"] = "text";
  ctx.emit(ctx.r, create(type, created, fields));
  if (type === "source") editText(ctx, "source", created, "content");
  return created;
}

/** A created entity of `type` in the replica's view (deleted ones too), or null. */
function pickId(r: Replica, type: EntityType, n: number): string | null {
  const ids = listEntities(r.db, type, { includeDeleted: true }).map((e) => e.id);
  return ids.length === 0 ? null : (ids[n % ids.length] ?? null);
}

function pick<T>(items: ReadonlyArray<T>, n: number): T {
  const item = items[n % items.length];
  if (item === undefined) throw new Error("pick from an empty list");
  return item;
}
