/**
 * Valid v1 ops that only a buggy or hostile peer sends (docs/design.md §4,
 * "details that replicas must agree on"), drawn against an existing op set:
 * references of the wrong type (a code or source as a parent, a merge into
 * a category, a segment whose source is a case or whose code is a category),
 * moves of and under never-created ids, `parent` written by `set`, `set`s
 * with an empty `prev`, segment anchors in another Yjs root than the
 * source's `content`, and text updates Yjs cannot read. Their HLCs fall
 * among the set's, so they arrive "late" too. Each op passes the decoder
 * (`makeOpBuilder`) except the unreadable updates, which the decoder refuses:
 * they stand for ops stored before that rule, which the materialiser must
 * still skip alike on every replica.
 */
import fc from "fast-check";
import * as Y from "yjs";
import { formatHlc, parseHlc } from "../../hlc.js";
import { makeOpBuilder } from "../pure/op-builder.js";
import type { EntityType, Op } from "../../op/op.js";

export interface HostilePick {
  readonly kind: number;
  readonly a: number;
  readonly b: number;
  /** Where among the set's HLCs the op falls (fraction of the span). */
  readonly at: number;
}

export const HOSTILE_KINDS = [
  "parent-of-wrong-type",
  "merge-into-wrong-type",
  "segment-of-wrong-type",
  "segment-code-of-wrong-type",
  "never-created",
  "parent-by-set",
  "empty-prev",
  "other-root",
  "unreadable-update",
] as const;
export type HostileKind = (typeof HOSTILE_KINDS)[number];

export const hostilePicksArb: fc.Arbitrary<ReadonlyArray<HostilePick>> = fc.array(
  fc.record({ kind: fc.nat(HOSTILE_KINDS.length - 1), a: fc.nat(40), b: fc.nat(40), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
  { maxLength: 6 },
);

const HOSTILE_REPLICA = "4444444444444444";
/** Base64 that Yjs refuses to apply (truncated structs). */
export const UNREADABLE_UPDATES = ["/////w==", "AQEAAAA=", "AQEFAAQBB2NvbnRlbnQ="];

/** The hostile ops for `picks` against `ops` (only kinds in `kinds`), in pick order. */
export function hostileOps(
  ops: ReadonlyArray<Op>,
  picks: ReadonlyArray<HostilePick>,
  kinds: ReadonlyArray<HostileKind> = HOSTILE_KINDS,
): Array<Op> {
  const ids = createdIds(ops);
  const times = ops.map((op) => parseHlc(op.hlc).wallMs);
  const [min, max] = [Math.min(...times), Math.max(...times)];
  const build = makeOpBuilder({ project: ops[0]?.project ?? "project-1", replica: HOSTILE_REPLICA, actor: "actor-hostile" });
  const out: Array<Op> = [];
  picks.forEach((p, i) => {
    const kind = HOSTILE_KINDS[p.kind % HOSTILE_KINDS.length];
    if (kind === undefined || !kinds.includes(kind) || times.length === 0) return;
    const wallMs = Math.round(min + p.at * (max - min));
    const hlc = () => formatHlc({ wallMs, counter: out.length, replica: HOSTILE_REPLICA });
    const pick = (type: EntityType, n: number): string => {
      const list = ids.get(type) ?? [];
      return list.length === 0 ? `never-${type}-${n}` : (list[n % list.length] as string);
    };
    for (const init of draw(kind, p, i, pick)) {
      const at = hlc();
      // An unreadable update is wrapped around a decoded envelope: the decoder would refuse the body.
      const raw = kind === "unreadable-update" && init.target !== undefined;
      out.push(raw ? ({ ...build({ kind: "text", target: init.target, hlc: at }), body: init.body } as Op) : build({ ...init, hlc: at }));
    }
  });
  return out;
}

type Init = Parameters<ReturnType<typeof makeOpBuilder>>[0] & object;

function draw(kind: HostileKind, p: HostilePick, i: number, pick: (type: EntityType, n: number) => string): Array<Init> {
  const { a, b } = p;
  switch (kind) {
    case "parent-of-wrong-type": {
      const [type, wrong] =
        a % 2 === 0 ? (["category", b % 2 === 0 ? "code" : "source"] as const) : (["folder", b % 2 === 0 ? "source" : "category"] as const);
      const node = a % 3 === 0 ? pick(type === "category" ? "code" : "source", a) : pick(type, a);
      const target = { type: a % 3 === 0 ? (type === "category" ? "code" : "source") : type, id: node } as const;
      return [{ kind: "move", target, body: { parent: pick(wrong, b) } }];
    }
    case "merge-into-wrong-type":
      return [
        { kind: "merge", target: { type: "code", id: pick("code", a) }, body: { into: pick(b % 2 === 0 ? "category" : "source", b) } },
      ];
    case "segment-of-wrong-type": {
      const fields = { code: pick("code", a), source: pick(b % 2 === 0 ? "case" : "folder", b), start: 0, end: 1 };
      return [{ kind: "create", target: { type: "segment", id: `hostile-seg-${i}` }, body: { fields } }];
    }
    case "segment-code-of-wrong-type":
      return [
        {
          kind: "set",
          target: { type: "segment", id: pick("segment", a) },
          body: { field: "code", value: pick(b % 2 === 0 ? "category" : "source", b) },
        },
      ];
    case "never-created":
      return a % 2 === 0
        ? [{ kind: "move", target: { type: "category", id: pick("category", b) }, body: { parent: `never-${i}` } }]
        : [{ kind: "move", target: { type: "folder", id: `never-${i}` }, body: { parent: pick("folder", b) } }];
    case "parent-by-set":
      return [
        {
          kind: "set",
          target: { type: "category", id: pick("category", a) },
          body: { field: "parent", value: a % 3 === 0 ? null : pick("category", b) },
        },
      ];
    case "empty-prev":
      return [
        {
          kind: "set",
          target: { type: "code", id: pick("code", 0) },
          body: { field: "color", value: a % 2 === 0 ? "#123456" : "#654321" },
          prev: [],
        },
      ];
    case "other-root":
      return otherRoot(pick("source", a), pick("code", b), i, b);
    case "unreadable-update": {
      const update = UNREADABLE_UPDATES[b % UNREADABLE_UPDATES.length] as string;
      return [{ kind: "text", target: { type: "source", id: pick("source", a) }, body: { field: "content", update } }];
    }
  }
}

/** A segment whose anchors name the root "other" of the source's doc (or, for b % 3 === 0, `content` itself). */
function otherRoot(source: string, code: string, i: number, b: number): Array<Init> {
  const doc = new Y.Doc();
  const root = doc.getText(b % 3 === 0 ? "content" : "other");
  const anchor = (assoc: number) =>
    Buffer.from(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(root, 0, assoc))).toString("base64");
  const fields = { code, source, start: anchor(0), end: anchor(-1) };
  doc.destroy();
  return [{ kind: "create", target: { type: "segment", id: `hostile-seg-${i}` }, body: { fields } }];
}

function createdIds(ops: ReadonlyArray<Op>): Map<EntityType, Array<string>> {
  const ids = new Map<EntityType, Array<string>>();
  for (const op of [...ops].sort((x, y) => (x.hlc < y.hlc ? -1 : 1))) {
    if (op.kind !== "create") continue;
    const list = ids.get(op.target.type) ?? [];
    if (!list.includes(op.target.id)) list.push(op.target.id);
    ids.set(op.target.type, list);
  }
  return ids;
}
