/**
 * Random researcher commands for property tests (exported via
 * `@qc/core/testing`). An `Action` is abstract — indexes and fractions, not
 * ids — and `runAction` interprets it against the replica's current state,
 * so most actions are valid wherever they land. Entities are picked in
 * creation (HLC) order, never by random id, so a seed replays exactly when
 * replica ids and clocks are fixed.
 */
import fc from "fast-check";
import type { EntityType } from "../op/op.js";
import type { Replica } from "../replica.js";
import { CommandError } from "../commands/errors.js";
import { formatHlc, MAX_COUNTER, MAX_WALL_MS, type Hlc } from "../hlc.js";
import { opsAfter } from "../op-log/ops-store.js";
import { replicaDb } from "./replica-db.js";

export type Action =
  | { readonly do: "createCode" | "createCategory"; readonly name: number; readonly color: number; readonly parent: number }
  | { readonly do: "rename"; readonly type: number; readonly pick: number; readonly name: number }
  | { readonly do: "recolour"; readonly pick: number; readonly color: number }
  | { readonly do: "move"; readonly type: number; readonly pick: number; readonly parent: number }
  | { readonly do: "remove" | "restore"; readonly type: number; readonly pick: number }
  | { readonly do: "importText"; readonly name: number; readonly text: number }
  | { readonly do: "editText"; readonly pick: number; readonly at: number; readonly len: number; readonly text: number }
  | { readonly do: "codeSegment"; readonly code: number; readonly source: number; readonly at: number; readonly len: number }
  | { readonly do: "editMemo"; readonly pick: number; readonly text: number }
  | { readonly do: "merge"; readonly from: number; readonly into: number }
  | { readonly do: "createCase"; readonly name: number }
  | { readonly do: "link" | "unlink"; readonly pick: number; readonly source: number }
  | { readonly do: "resolve"; readonly pick: number };

const NAMES = ["Hope", "hope", "Fear", "Joy", "Trust"];
const COLORS = ["#aa0000", "#00aa00", "#0000aa"];
const TEXTS = ["I hope so. ", "We were afraid", "x", "", "Ünïcode 😀 text"];
const TREE_TYPES: ReadonlyArray<"code" | "category"> = ["code", "category"];
const LIFE_TYPES: ReadonlyArray<EntityType> = ["code", "category", "source", "segment", "case"];

const idx = fc.nat({ max: 1000 });
const frac = fc.double({ min: 0, max: 1, noNaN: true });

export const arbitraryAction: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ do: fc.constantFrom("createCode" as const, "createCategory" as const), name: idx, color: idx, parent: idx }),
  },
  fc.record({ do: fc.constant("rename" as const), type: idx, pick: idx, name: idx }),
  fc.record({ do: fc.constant("recolour" as const), pick: idx, color: idx }),
  fc.record({ do: fc.constant("move" as const), type: idx, pick: idx, parent: idx }),
  fc.record({ do: fc.constantFrom("remove" as const, "restore" as const), type: idx, pick: idx }),
  { weight: 2, arbitrary: fc.record({ do: fc.constant("importText" as const), name: idx, text: idx }) },
  fc.record({ do: fc.constant("editText" as const), pick: idx, at: frac, len: fc.nat({ max: 5 }), text: idx }),
  fc.record({ do: fc.constant("codeSegment" as const), code: idx, source: idx, at: frac, len: frac }),
  fc.record({ do: fc.constant("editMemo" as const), pick: idx, text: idx }),
  fc.record({ do: fc.constant("merge" as const), from: idx, into: idx }),
  fc.record({ do: fc.constant("createCase" as const), name: idx }),
  fc.record({ do: fc.constantFrom("link" as const, "unlink" as const), pick: idx, source: idx }),
  fc.record({ do: fc.constant("resolve" as const), pick: idx }),
);

/** Runs the action; a refused command (CommandError) is fine and returns false. */
export function runAction(r: Replica, action: Action): boolean {
  try {
    interpret(r, action);
    return true;
  } catch (error) {
    if (error instanceof CommandError) return false;
    throw error;
  }
}

function interpret(r: Replica, a: Action): void {
  const pick = (type: EntityType, i: number): string => at(created(r, type), i) ?? "missing";
  switch (a.do) {
    case "createCode":
    case "createCategory": {
      const parent = at([null, ...created(r, "category")], a.parent) ?? null;
      const input = { name: at(NAMES, a.name)!, color: at(COLORS, a.color)!, parent };
      if (a.do === "createCode") r.commands.createCode(input);
      else r.commands.createCategory(input);
      return;
    }
    case "rename": {
      const type = at(TREE_TYPES, a.type)!;
      return r.commands.rename(type, pick(type, a.pick), at(NAMES, a.name)!);
    }
    case "recolour":
      return r.commands.recolour("code", pick("code", a.pick), at(COLORS, a.color)!);
    case "move": {
      const type = at(TREE_TYPES, a.type)!;
      return r.commands.move(type, pick(type, a.pick), at([null, ...created(r, "category")], a.parent) ?? null);
    }
    case "remove":
    case "restore": {
      const type = at(LIFE_TYPES, a.type)!;
      if (a.do === "remove") return r.commands.remove(type, pick(type, a.pick));
      return r.commands.restore(
        type,
        at(
          created(r, type).filter((id) => r.read.entity(type, id)?.deleted === true),
          a.pick,
        ) ?? "missing",
      );
    }
    case "importText":
      r.commands.importTextSource({ name: at(NAMES, a.name)!, text: at(TEXTS, a.text)! });
      return;
    case "editText":
      return editText(r, pick("source", a.pick), a);
    case "codeSegment":
      return codeSegment(r, pick("code", a.code), pick("source", a.source), a);
    case "editMemo":
      return r.commands.editMemo("code", pick("code", a.pick), { insert: at(TEXTS, a.text)!, at: 0 });
    case "merge":
      return merge(r, a.from, a.into);
    case "createCase":
      r.commands.createCase({ name: at(NAMES, a.name)! });
      return;
    case "link":
    case "unlink":
      return a.do === "link"
        ? r.commands.linkSource(pick("case", a.pick), pick("source", a.source))
        : r.commands.unlinkSource(pick("case", a.pick), pick("source", a.source));
    case "resolve":
      return r.commands.resolveConflict(
        at(
          r.read.conflicts().map((c) => c.id),
          a.pick,
        ) ?? "none",
      );
  }
}

function merge(r: Replica, from: number, into: number): void {
  const live = created(r, "code").filter((id) => r.read.entity("code", id)?.live === true);
  const a = at(live, from) ?? "missing";
  r.commands.mergeCodes(
    a,
    at(
      live.filter((id) => id !== a),
      into,
    ) ?? "missing",
  );
}

function editText(r: Replica, source: string, a: Extract<Action, { do: "editText" }>): void {
  const length = textLength(r, source);
  const pos = Math.floor(a.at * length);
  if (a.len > 0 && pos < length) r.commands.editSourceText(source, { delete: Math.min(a.len, length - pos), at: pos });
  else r.commands.editSourceText(source, { insert: at(TEXTS, a.text)!, at: pos });
}

function codeSegment(r: Replica, code: string, source: string, a: Extract<Action, { do: "codeSegment" }>): void {
  const length = textLength(r, source);
  const start = Math.floor(a.at * Math.max(0, length - 1));
  const end = Math.min(length, start + 1 + Math.floor(a.len * (length - start)));
  r.commands.codeSegment({ code, source, start, end });
}

function textLength(r: Replica, source: string): number {
  const content = r.read.entity("source", source)?.fields["content"];
  return typeof content === "string" ? content.length : 0;
}

/** Ids of entities of `type` in the order their create ops were stamped. */
export function created(r: Replica, type: EntityType): ReadonlyArray<string> {
  const ids = opsAfter(replicaDb(r))
    .filter((op) => op.kind === "create" && op.target.type === type)
    .map((op) => op.target.id);
  return [...new Set(ids)];
}

function at<T>(items: ReadonlyArray<T>, i: number): T | undefined {
  return items.length === 0 ? undefined : items[i % items.length];
}

/** Any valid HLC, over the whole range of wall time, counter and replica id. */
export const arbitraryHlc: fc.Arbitrary<Hlc> = fc
  .record({
    wallMs: fc.integer({ min: 0, max: MAX_WALL_MS }),
    counter: fc.integer({ min: 0, max: MAX_COUNTER }),
    replica: fc.stringMatching(/^[0-9a-f]{16}$/),
  })
  .map(formatHlc);
