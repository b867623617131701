/**
 * The op envelope v1 (docs/design.md §3), as TypeScript types.
 *
 * This file is the contract between every package: the Effect Schema decoder
 * in `op-schema.ts` must decode exactly into these types. Pure: no I/O.
 */

export const OP_VERSION = 1 as const;

export const ENTITY_TYPES = ["project", "category", "code", "folder", "source", "segment", "case", "attribute", "journal"] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

export const OP_KINDS = ["create", "set", "text", "delete", "restore", "move", "link", "unlink", "merge", "resolve"] as const;
export type OpKind = (typeof OP_KINDS)[number];

/** A JSON value as stored in a register. */
export type JsonValue = null | boolean | number | string | ReadonlyArray<JsonValue> | { readonly [k: string]: JsonValue };

export interface Target {
  readonly type: EntityType;
  readonly id: string;
}

/**
 * Every op shares this envelope. `decodeOp` (op-schema.ts) is the only way
 * untrusted data becomes one: it also checks the rules stated here.
 */
interface Envelope<K extends OpKind, B> {
  readonly v: 1;
  /** Equal to `hlc`. */
  readonly id: string;
  /** The project id; also the id of the project entity. */
  readonly project: string;
  /** 16 lowercase hex chars. */
  readonly replica: string;
  /** The researcher (member) who made the edit. */
  readonly actor: string;
  /** `<ISO-8601 UTC with ms>-<counter, 4 lowercase hex>-<replica>` (hlc.ts); sorts as a string. */
  readonly hlc: string;
  readonly kind: K;
  readonly target: Target;
  readonly body: B;
  /** Ids of the ops that last wrote the same register as the author saw it. */
  readonly prev?: ReadonlyArray<string>;
  /** The id of the op this op compensates: it is an undo (docs/spec/undo.md). Never changes how it applies. */
  readonly undoes?: string;
}

export type CreateOp = Envelope<"create", { readonly fields: { readonly [field: string]: JsonValue } }>;
export type SetOp = Envelope<"set", { readonly field: string; readonly value: JsonValue }>;
/** `update` is a base64 Yjs update to the Y.Text named `field`. */
export type TextOp = Envelope<"text", { readonly field: string; readonly update: string }>;
export type DeleteOp = Envelope<"delete", Record<string, never>>;
export type RestoreOp = Envelope<"restore", Record<string, never>>;
export type MoveOp = Envelope<"move", { readonly parent: string | null }>;
/** Target is the case; `source` is the linked source id. */
export type LinkOp = Envelope<"link", { readonly source: string }>;
/** Target is the case; removes the link adds (op ids) the author saw. */
export type UnlinkOp = Envelope<"unlink", { readonly adds: ReadonlyArray<string> }>;
/** Target is the code folded into `into`; `into: null` splits it out again (an undone merge). */
export type MergeOp = Envelope<"merge", { readonly into: string | null }>;
/** Target is the project; `conflict` is a derived conflict id. */
export type ResolveOp = Envelope<"resolve", { readonly conflict: string }>;

export type Op = CreateOp | SetOp | TextOp | DeleteOp | RestoreOp | MoveOp | LinkOp | UnlinkOp | MergeOp | ResolveOp;

/** Largest op body, measured as the UTF-8 bytes of its canonical JSON. */
export const MAX_BODY_BYTES = 256 * 1024;
/**
 * Largest whole op (envelope, body, `prev`, and for future ops any extra
 * property), as UTF-8 bytes of its canonical JSON: well inside a Convex
 * document (1 MiB), which holds the op plus its stored columns.
 */
export const MAX_OP_BYTES = 384 * 1024;
/**
 * Deepest nesting of objects and arrays in an op, the op itself being level
 * 1 (the decoder walks without recursion to find it). Convex refuses values
 * nested deeper than 64 levels, and no v1 op comes near it: register values
 * are scalars.
 */
export const MAX_DEPTH = 64;
/** Longest id (UTF-16 code units): project, target.id, ids in bodies, entries of `prev` and `unlink.adds`. */
export const MAX_ID_LENGTH = 256;
/** Most entries in `prev` (commands cap the register heads they send, `registerHeads`). */
export const MAX_PREV = 100;
