/**
 * A deterministic, realistic mix of valid ops for benchmarks: three
 * researchers (replicas) coding a project concurrently. Ops are built
 * directly (not through commands) so that generating a million of them is
 * cheap; every op is still a valid v1 op (the bench's ingest path decodes and
 * would quarantine anything invalid, and the bench checks that none was).
 *
 * Mix (per 100 ops, roughly): 4 creates (codes, categories, sources with
 * content, cases), 40 register sets (renames, recolours, important flags),
 * 25 Yjs memo edits, 10 tree moves, 5 deletes/restores, 10 segments,
 * 6 case links.
 */
import * as Y from "yjs";
import { formatHlc } from "../src/hlc.js";
import { makePrng } from "../src/testing/pure/prng.js";
import { makeOpBuilder, type OpBuilder } from "../src/testing/pure/op-builder.js";
import type { EntityType, JsonValue, Op } from "../src/op/op.js";
import { encodeTextAnchors } from "../src/materialiser/index.js";

export interface WorkloadOptions {
  readonly project: string;
  readonly count: number;
  /** Wall time of the first op (epoch ms); ops advance 1 ms per 3 ops. */
  readonly startMs?: number;
  readonly seed?: number;
  /** The three replica ids (16 hex) that author the ops; defaults to a fixed team. */
  readonly replicas?: readonly [string, string, string];
}

export const TEAM_REPLICAS = ["a1a1a1a1a1a1a1a1", "b2b2b2b2b2b2b2b2", "c3c3c3c3c3c3c3c3"] as const;
const ACTORS = ["ana", "ben", "chloe"] as const;

/** Yields `count` ops in HLC order (as one coordinated team would produce them). */
export function* generateOps(options: WorkloadOptions): Generator<Op> {
  const w = makeWorld(options);
  for (let i = 0; i < options.count; i++) yield w.next(i);
}

function makeWorld(options: WorkloadOptions) {
  const rand = makePrng(options.seed ?? 42);
  const pick = <T>(xs: ReadonlyArray<T>): T => xs[Math.floor(rand() * xs.length)] as T;
  const startMs = options.startMs ?? Date.UTC(2026, 0, 1);
  const codes: string[] = [];
  const categories: string[] = [];
  const sources: Array<{ id: string; doc: Y.Doc }> = [];
  const cases: string[] = [];
  const segments: string[] = [];
  const memos = new Map<string, Y.Doc>();
  let nextId = 0;
  const replicas = options.replicas ?? TEAM_REPLICAS;
  // Entity ids carry the first replica so two workloads never collide.
  const idPrefix = replicas[0].slice(0, 4);

  const builders = replicas.map((replica, r) =>
    makeOpBuilder({ project: options.project, replica, actor: ACTORS[r] as string, validate: false }),
  );
  const envelope = (i: number, kind: Op["kind"], type: EntityType, id: string, body: unknown): Op => {
    const r = i % 3;
    const hlc = formatHlc({ wallMs: startMs + Math.floor(i / 3), counter: r, replica: replicas[r] as string });
    return (builders[r] as OpBuilder)({ hlc, replica: replicas[r] as string, kind, target: { type, id }, body: body as Op["body"] });
  };
  const color = () =>
    `#${Math.floor(rand() * 0xffffff)
      .toString(16)
      .padStart(6, "0")}`;
  const fresh = (prefix: string) => `${prefix}-${idPrefix}-${(nextId++).toString(36)}`;

  const memoEdit = (i: number, type: EntityType, id: string): Op => {
    let doc = memos.get(id);
    if (doc === undefined) {
      doc = new Y.Doc();
      doc.clientID = 1 + (i % 3);
      memos.set(id, doc);
    }
    const text = doc.getText("memo");
    const before = Y.encodeStateVector(doc);
    text.insert(Math.floor(rand() * (text.length + 1)), "note ");
    const update = Buffer.from(Y.encodeStateAsUpdate(doc, before)).toString("base64");
    return envelope(i, "text", type, id, { field: "memo", update });
  };

  const create = (i: number): Op => {
    const roll = rand();
    if (roll < 0.4 || codes.length === 0) {
      const id = fresh("code");
      codes.push(id);
      const parent = categories.length > 0 && rand() < 0.5 ? pick(categories) : null;
      return envelope(i, "create", "code", id, { fields: { name: `code ${id}`, color: color(), parent } });
    }
    if (roll < 0.6) {
      const id = fresh("cat");
      categories.push(id);
      return envelope(i, "create", "category", id, { fields: { name: `category ${id}`, color: color(), parent: null } });
    }
    if (roll < 0.8) {
      const id = fresh("case");
      cases.push(id);
      return envelope(i, "create", "case", id, { fields: { name: `case ${id}` } });
    }
    const id = fresh("src");
    const doc = new Y.Doc();
    doc.clientID = 10 + (i % 3);
    doc.getText("content").insert(0, "The interviewee talked about work, family and the move to the city. ".repeat(8));
    sources.push({ id, doc });
    return envelope(i, "create", "source", id, { fields: { name: `source ${id}`, kind: "text", mediaPath: null, parent: null } });
  };

  const sourceContent = (i: number, source: { id: string; doc: Y.Doc }): Op => {
    const update = Buffer.from(Y.encodeStateAsUpdate(source.doc)).toString("base64");
    return envelope(i, "text", "source", source.id, { field: "content", update });
  };
  const pendingContent: Array<{ id: string; doc: Y.Doc }> = [];

  const next = (i: number): Op => {
    const pending = pendingContent.pop();
    if (pending !== undefined) return sourceContent(i, pending);
    if (codes.length < 5 || rand() < 0.04) {
      const op = create(i);
      if (op.kind === "create" && op.target.type === "source") pendingContent.push(sources[sources.length - 1]!);
      return op;
    }
    const roll = rand();
    if (roll < 0.4) {
      const useCategory = categories.length > 0 && rand() < 0.3;
      const id = useCategory ? pick(categories) : pick(codes);
      const field = rand() < 0.6 ? "name" : "color";
      const value: JsonValue = field === "name" ? `renamed ${id} ${i}` : color();
      return envelope(i, "set", useCategory ? "category" : "code", id, { field, value });
    }
    if (roll < 0.65)
      return memoEdit(i, rand() < 0.8 ? "code" : "category", rand() < 0.8 ? pick(codes) : pick(categories.length > 0 ? categories : codes));
    if (roll < 0.75) {
      const target = pick(codes);
      const parent = categories.length > 0 && rand() < 0.8 ? pick(categories) : null;
      return envelope(i, "move", "code", target, { parent });
    }
    if (roll < 0.8) return envelope(i, rand() < 0.5 ? "delete" : "restore", "code", pick(codes), {});
    if (roll < 0.9 && sources.length > 0) {
      const source = pick(sources);
      const len = source.doc.getText("content").length;
      const start = Math.floor(rand() * (len - 20));
      const anchors = encodeTextAnchors(source.doc, "content", start, start + 10);
      const id = fresh("seg");
      segments.push(id);
      return envelope(i, "create", "segment", id, {
        fields: { code: pick(codes), source: source.id, start: anchors.start, end: anchors.end },
      });
    }
    if (roll < 0.94 && segments.length > 0) {
      return envelope(i, "set", "segment", pick(segments), { field: "important", value: rand() < 0.5 });
    }
    if (cases.length > 0 && sources.length > 0) return envelope(i, "link", "case", pick(cases), { source: pick(sources).id });
    return memoEdit(i, "code", pick(codes));
  };
  return { next };
}
