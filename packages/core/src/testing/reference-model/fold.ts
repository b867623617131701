/**
 * The reference model's replay: the op set, de-duplicated by id and sorted
 * by HLC, folded op by op into plain maps (docs/spec/merge-rules.md rules
 * 1-6, 9 and links). Written from the spec, not from the materialiser: no
 * SQL, no incremental paths, no undo/redo — a late op is simply replayed in
 * its place because the whole set is replayed every time.
 *
 * What the fold keeps is primary state only (registers, lifecycle, stored
 * parents, texts, link sets, resolves, skipped moves); `derive.ts` computes
 * liveness, effective parents, segments and conflicts from it.
 */
import * as Y from "yjs";
import type { EntityType, JsonValue, Op, SetOp } from "../../op/op.js";

export type TreeName = "category" | "folder" | "alias";

export interface Write {
  readonly hlc: string;
  readonly value: JsonValue;
}

export interface TreeNode {
  readonly type: EntityType;
  readonly parent: string | null;
}

export interface SkippedMove {
  readonly tree: TreeName;
  readonly op: string;
  readonly type: EntityType;
  readonly node: string;
  readonly parent: string | null;
}

export interface Folded {
  /** `type/id` → the lowest-HLC create op id (the entity's first create). */
  readonly firstCreate: Map<string, string>;
  /** `type/id` → the lifecycle register (create/restore: live, delete: deleted). */
  readonly life: Map<string, { readonly hlc: string; readonly deleted: boolean }>;
  /** `type/id` → field → highest-HLC write. */
  readonly registers: Map<string, Map<string, Write>>;
  /** `set` ops that carry `prev`, in HLC order (concurrent-edit candidates). */
  readonly sets: Array<SetOp>;
  readonly trees: { readonly [T in TreeName]: Map<string, TreeNode> };
  readonly skipped: Array<SkippedMove>;
  /** `type/id` → field → a doc holding every update of that text. */
  readonly texts: Map<string, Map<string, Y.Doc>>;
  readonly linkAdds: Map<string, { readonly case: string; readonly source: string }>;
  /** `case\nadd` pairs an unlink of that case removed. */
  readonly linkRemoves: Set<string>;
  readonly resolves: Set<string>;
}

export function entityKey(type: EntityType, id: string): string {
  return `${type}/${id}`;
}

/** The tree a node's `parent` lives in, or undefined for types without one. */
export function parentTree(type: EntityType): "category" | "folder" | undefined {
  if (type === "category" || type === "code") return "category";
  if (type === "folder" || type === "source") return "folder";
  return undefined;
}

/** Replays the op set (any order, duplicates allowed) in HLC order. */
export function foldOps(ops: ReadonlyArray<Op>): Folded {
  const byId = new Map(ops.map((op) => [op.id, op]));
  const sorted = [...byId.values()].sort((a, b) => (a.hlc < b.hlc ? -1 : a.hlc > b.hlc ? 1 : 0));
  const state: Folded = {
    firstCreate: new Map(),
    life: new Map(),
    registers: new Map(),
    sets: [],
    trees: { category: new Map(), folder: new Map(), alias: new Map() },
    skipped: [],
    texts: new Map(),
    linkAdds: new Map(),
    linkRemoves: new Set(),
    resolves: new Set(),
  };
  for (const op of sorted) step(state, op);
  return state;
}

function step(state: Folded, op: Op): void {
  const { type, id } = op.target;
  const key = entityKey(type, id);
  switch (op.kind) {
    case "create": {
      if (!state.firstCreate.has(key)) state.firstCreate.set(key, op.id);
      state.life.set(key, { hlc: op.hlc, deleted: false });
      for (const [field, value] of Object.entries(op.body.fields)) writeField(state, op, field, value);
      return;
    }
    case "set":
      if (op.prev !== undefined && !isTreeParent(type, op.body.field)) state.sets.push(op);
      return writeField(state, op, op.body.field, op.body.value);
    case "delete":
    case "restore":
      return void state.life.set(key, { hlc: op.hlc, deleted: op.kind === "delete" });
    case "text":
      return addTextUpdate(state, key, op.body.field, op.body.update);
    case "move": {
      const tree = parentTree(type);
      return tree === undefined ? undefined : move(state, tree, op, op.body.parent);
    }
    case "merge":
      return type === "code" ? move(state, "alias", op, op.body.into) : undefined;
    case "link":
      return void state.linkAdds.set(op.id, { case: id, source: op.body.source });
    case "unlink":
      for (const add of op.body.adds) state.linkRemoves.add(`${id}\n${add}`);
      return;
    case "resolve":
      return void state.resolves.add(op.body.conflict);
  }
}

function isTreeParent(type: EntityType, field: string): boolean {
  return field === "parent" && parentTree(type) !== undefined;
}

/** A register write, except a tree type's `parent`: that is a move (a create's parent is its first move). */
function writeField(state: Folded, op: Op, field: string, value: JsonValue): void {
  const { type, id } = op.target;
  if (isTreeParent(type, field)) {
    return move(state, parentTree(type)!, op, typeof value === "string" ? value : null);
  }
  const key = entityKey(type, id);
  const fields = state.registers.get(key) ?? new Map<string, Write>();
  state.registers.set(key, fields);
  // Ops arrive in HLC order, so each write replaces the one before.
  fields.set(field, { hlc: op.hlc, value });
}

/** A move at its place in HLC order: skipped when `parent` is the node or has it as an ancestor. */
function move(state: Folded, tree: TreeName, op: Op, parent: string | null): void {
  const nodes = state.trees[tree];
  const node = op.target.id;
  if (closesCycle(nodes, node, parent)) {
    state.skipped.push({ tree, op: op.id, type: op.target.type, node, parent });
    return;
  }
  nodes.set(node, { type: op.target.type, parent });
}

function closesCycle(nodes: Map<string, TreeNode>, node: string, parent: string | null): boolean {
  // Stored parents of every node (deleted, never-created ones too); the tree is acyclic, so the walk ends.
  for (let p = parent; p !== null; p = nodes.get(p)?.parent ?? null) if (p === node) return true;
  return false;
}

/** Texts are the union of their updates; an update Yjs cannot read counts as absent. */
function addTextUpdate(state: Folded, key: string, field: string, update: string): void {
  const bytes = Buffer.from(update, "base64");
  try {
    Y.applyUpdate(new Y.Doc(), bytes);
  } catch {
    return;
  }
  const fields = state.texts.get(key) ?? new Map<string, Y.Doc>();
  state.texts.set(key, fields);
  const doc = fields.get(field) ?? new Y.Doc();
  fields.set(field, doc);
  Y.applyUpdate(doc, bytes);
}
