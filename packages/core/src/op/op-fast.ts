/**
 * A hand-written decoder for the common case of `decodeOp` (op-schema.ts): a
 * valid v1 op of a known kind made of plain data (JSON-parsed or built from
 * literals). It returns the op `decodeOp` would return — a fresh copy, keys
 * in the same order — together with its canonical JSON (`canonicalJson`),
 * built in the same walk; or undefined whenever the input is anything else
 * or it cannot be sure, and the caller falls back to the Effect Schema
 * decoder, which produces the exact verdict and error.
 *
 * Invariant (a property test in op-fast.test.ts checks it over valid and
 * mutated ops): whenever this returns `{ op, json }`, the schema decoder
 * accepts the input and decodes it to a value equal to `op` (same keys, same
 * order), and `json === canonicalJson(op)`. It never accepts more: every
 * doubt (a symbol or non-enumerable key, a non-plain prototype, an array with
 * holes, extra or hidden keys, a "__proto__" key, nesting deeper than MAX_DEPTH, a
 * getter that throws) is a bail-out, not a verdict. The limits (ids, `prev`,
 * the whole op) and the actor rule are checked with the schema decoder's
 * constants and functions.
 *
 * The cross-field and domain rules are the very functions `decodeOp` runs
 * (`isKindAllowed`, `checkOpFields`, `utf8Length` for the body limit), on
 * the copy. Pure: runs in Convex functions.
 */
import { isHlc, isReplicaId } from "../hlc.js";
import { actorProblem } from "./actor.js";
import { utf8Length } from "./canonical.js";
import { isBase64, isEntityId, isKindAllowed } from "./domain.js";
import { checkOpFields } from "./op-rules.js";
import { ENTITY_TYPES, MAX_BODY_BYTES, MAX_ID_LENGTH, MAX_OP_BYTES, MAX_PREV, OP_KINDS } from "./op.js";
import type { EntityType, JsonValue, Op, OpKind } from "./op.js";

export interface FastDecoded {
  readonly op: Op;
  /** `canonicalJson(op)`. */
  readonly json: string;
}

/** Deeper JSON values are left to the schema decoder (which also finds cycles and bounds depth). */
const MAX_DEPTH = 16;

const ENVELOPE_KEYS: ReadonlySet<string> = new Set([
  "v",
  "id",
  "project",
  "replica",
  "actor",
  "hlc",
  "kind",
  "target",
  "body",
  "prev",
  "undoes",
]);
const KINDS: ReadonlySet<string> = new Set(OP_KINDS);
const TYPES: ReadonlySet<string> = new Set(ENTITY_TYPES);

/** Thrown inside the walk to give up; never escapes. */
const BAIL: unique symbol = Symbol("bail");

export function fastDecodeOp(input: unknown): FastDecoded | undefined {
  try {
    return decode(input);
  } catch (error) {
    if (error === BAIL) return undefined;
    return undefined; // a throwing getter or a proxy: the schema decoder says what happens
  }
}

function decode(input: unknown): FastDecoded | undefined {
  if (!isPlainObject(input)) return undefined;
  const keys = Reflect.ownKeys(input);
  for (const key of keys) if (typeof key !== "string" || !ENVELOPE_KEYS.has(key)) return undefined;
  // Keys are distinct and all from the eleven envelope keys: nine besides the
  // optional `prev` and `undoes` means all the required ones are there.
  const hasPrev = Object.hasOwn(input, "prev");
  const hasUndoes = Object.hasOwn(input, "undoes");
  if (keys.length - Number(hasPrev) - Number(hasUndoes) !== 9) return undefined;
  const r = input as Record<string, unknown>;
  const { v, id, project, replica, actor, hlc, kind, target, body } = r;
  if (v !== 1 || typeof id !== "string" || !isEntityId(project) || !isReplicaId(replica) || !isActor(actor)) return undefined;
  if (typeof kind !== "string" || !KINDS.has(kind) || !isHlcCached(hlc)) return undefined;
  if (id !== hlc || !hlc.endsWith(`-${replica}`)) return undefined;
  if (!isPlainObject(target)) return undefined;
  const targetKeys = Reflect.ownKeys(target);
  if (targetKeys.length !== 2 || !Object.hasOwn(target, "type") || !Object.hasOwn(target, "id")) return undefined;
  const { type, id: targetId } = target as Record<string, unknown>;
  if (typeof type !== "string" || !TYPES.has(type) || !isEntityId(targetId)) return undefined;
  if (type === "project" && targetId !== project) return undefined;
  if (!isKindAllowed(kind as OpKind, type as EntityType)) return undefined;
  let prev: Array<string> | undefined;
  let prevJson = "";
  if (hasPrev) {
    prev = copyStrings(r["prev"]);
    if (prev === undefined || prev.length > MAX_PREV) return undefined;
    prevJson = `"prev":${JSON.stringify(prev)},`;
  }
  const undoes = r["undoes"];
  if (hasUndoes && !isEntityId(undoes)) return undefined;
  const undoesJson = hasUndoes ? `"undoes":${JSON.stringify(undoes)},` : "";
  const decodedBody = decodeBody(kind as OpKind, body);
  if (decodedBody === undefined) return undefined;
  const [bodyValue, bodyJson] = decodedBody;
  if (bodyJson.length > MAX_BODY_BYTES / 3 && utf8Length(bodyJson) > MAX_BODY_BYTES) return undefined;
  const op = {
    v,
    id,
    project,
    replica,
    actor,
    hlc,
    target: { type, id: targetId },
    ...(prev === undefined ? {} : { prev }),
    ...(hasUndoes ? { undoes } : {}),
    kind,
    body: bodyValue,
  } as Op;
  if (checkOpFields(op) !== undefined) return undefined;
  const json =
    `{"actor":${JSON.stringify(actor)},"body":${bodyJson},"hlc":${JSON.stringify(hlc)},"id":${JSON.stringify(id)},` +
    `"kind":${JSON.stringify(kind)},${prevJson}"project":${JSON.stringify(project)},"replica":${JSON.stringify(replica)},` +
    `"target":{"id":${JSON.stringify(targetId)},"type":${JSON.stringify(type)}},${undoesJson}"v":1}`;
  if (json.length > MAX_OP_BYTES / 3 && utf8Length(json) > MAX_OP_BYTES) return undefined;
  return { op, json };
}

/**
 * `isHlc`, remembering the last date-time part it accepted: whether an HLC
 * is valid depends on its first 24 characters (an ISO date-time that must
 * round-trip through Date) and on the rest matching `-<4 hex>-<16 hex>`;
 * ops of a batch share date-times (same millisecond), so the Date round
 * trip mostly runs once per millisecond, not once per op.
 */
let lastIso = "";
const HLC_TAIL = /^-[0-9a-f]{4}-[0-9a-f]{16}$/;

function isHlcCached(s: unknown): s is string {
  if (typeof s !== "string") return false;
  if (lastIso !== "" && s.startsWith(lastIso) && HLC_TAIL.test(s.slice(ISO_LENGTH))) return true;
  if (!isHlc(s)) return false;
  lastIso = s.slice(0, ISO_LENGTH);
  return true;
}

/** "2026-11-25T12:00:00.000Z" */
const ISO_LENGTH = 24;

type Decoded = readonly [value: unknown, json: string];

function decodeBody(kind: OpKind, body: unknown): Decoded | undefined {
  if (!isPlainObject(body)) return undefined;
  const b = body as Record<string, unknown>;
  switch (kind) {
    case "create": {
      if (!hasExactly1(body, "fields")) return undefined;
      const [fields, json] = copyObject(b["fields"], 0);
      return [{ fields }, `{"fields":${json}}`];
    }
    case "set": {
      if (!hasExactly2(body, "field", "value")) return undefined;
      const { field } = b;
      if (!isNonEmpty(field)) return undefined;
      const [value, json] = copyJson(b["value"], 0);
      return [{ field, value }, `{"field":${JSON.stringify(field)},"value":${json}}`];
    }
    case "text": {
      if (!hasExactly2(body, "field", "update")) return undefined;
      const { field, update } = b;
      if (!isNonEmpty(field) || !isNonEmpty(update) || !isBase64(update)) return undefined;
      return [{ field, update }, `{"field":${JSON.stringify(field)},"update":${JSON.stringify(update)}}`];
    }
    case "delete":
    case "restore":
      return Reflect.ownKeys(body).length === 0 ? [{}, "{}"] : undefined;
    case "move": {
      if (!hasExactly1(body, "parent")) return undefined;
      const { parent } = b;
      if (parent !== null && !isEntityId(parent)) return undefined;
      return [{ parent }, `{"parent":${JSON.stringify(parent)}}`];
    }
    case "link":
      return decodeOneString(b, "source");
    case "merge": {
      if (!hasExactly1(body, "into")) return undefined;
      const { into } = b;
      if (into !== null && !isEntityId(into)) return undefined;
      return [{ into }, `{"into":${JSON.stringify(into)}}`];
    }
    case "resolve":
      return decodeOneString(b, "conflict");
    case "unlink": {
      if (!hasExactly1(body, "adds")) return undefined;
      const adds = copyStrings(b["adds"]);
      return adds === undefined ? undefined : [{ adds }, `{"adds":${JSON.stringify(adds)}}`];
    }
  }
}

function decodeOneString(body: Record<string, unknown>, key: string): Decoded | undefined {
  if (!hasExactly1(body, key)) return undefined;
  const value = body[key];
  if (!isEntityId(value)) return undefined;
  return [{ [key]: value }, `{${JSON.stringify(key)}:${JSON.stringify(value)}}`];
}

/** A JsonValue (JsonValueSchema): null, boolean, finite number, string, array, plain record. */
function copyJson(value: unknown, depth: number): Decoded {
  switch (typeof value) {
    case "string":
      return [value, JSON.stringify(value)];
    case "boolean":
      return [value, value ? "true" : "false"];
    case "number":
      if (!Number.isFinite(value)) throw BAIL;
      return [value, JSON.stringify(value)];
    case "object":
      if (value === null) return [null, "null"];
      if (Array.isArray(value)) return copyArray(value, depth);
      return copyObject(value, depth);
    default:
      throw BAIL;
  }
}

function copyArray(items: ReadonlyArray<unknown>, depth: number): Decoded {
  if (depth >= MAX_DEPTH || !hasOnlyIndexKeys(items)) throw BAIL;
  const out: Array<JsonValue> = [];
  const parts: Array<string> = [];
  for (let i = 0; i < items.length; i++) {
    const [v, json] = copyJson(items[i], depth + 1);
    out.push(v as JsonValue);
    parts.push(json);
  }
  return [out, `[${parts.join(",")}]`];
}

/** A record of JsonValues: output keys in input order (as the schema's Record), JSON keys sorted. */
function copyObject(value: unknown, depth: number): Decoded {
  if (depth >= MAX_DEPTH || !isPlainObject(value) || Object.getOwnPropertySymbols(value).length !== 0) throw BAIL;
  const keys = Object.keys(value);
  const out: Record<string, unknown> = {};
  const jsons: Record<string, string> = {};
  for (const key of keys) {
    if (key === "__proto__") throw BAIL;
    const [v, json] = copyJson((value as Record<string, unknown>)[key], depth + 1);
    out[key] = v;
    jsons[key] = json;
  }
  const sorted = keys.length > 1 ? [...keys].sort() : keys;
  let json = "{";
  for (let i = 0; i < sorted.length; i++) {
    const key = sorted[i] as string;
    json += `${i === 0 ? "" : ","}${JSON.stringify(key)}:${jsons[key]}`;
  }
  return [out, `${json}}`];
}

function copyStrings(value: unknown): Array<string> | undefined {
  if (!Array.isArray(value) || !hasOnlyIndexKeys(value)) return undefined;
  const out: Array<string> = [];
  for (const item of value) {
    if (typeof item !== "string" || item.length > MAX_ID_LENGTH) return undefined;
    out.push(item);
  }
  return out;
}

/**
 * The array's enumerable own keys are exactly its indexes (no holes, no extra
 * keys, which `findUnsafeData` would walk). Object.keys lists indexes first,
 * ascending: n keys whose last is "n-1" are 0..n-1.
 */
function hasOnlyIndexKeys(items: ReadonlyArray<unknown>): boolean {
  const keys = Object.keys(items);
  return keys.length === items.length && (keys.length === 0 || keys[keys.length - 1] === String(keys.length - 1));
}

function hasExactly1(o: object, key: string): boolean {
  const keys = Reflect.ownKeys(o);
  return keys.length === 1 && keys[0] === key;
}

function hasExactly2(o: object, a: string, b: string): boolean {
  const keys = Reflect.ownKeys(o);
  return keys.length === 2 && ((keys[0] === a && keys[1] === b) || (keys[0] === b && keys[1] === a));
}

/** Actors repeat across a batch: the last accepted one is remembered. */
let lastActor = "";

function isActor(s: unknown): s is string {
  if (typeof s !== "string") return false;
  if (s === lastActor) return true;
  if (actorProblem(s) !== undefined) return false;
  lastActor = s;
  return true;
}

function isNonEmpty(s: unknown): s is string {
  return typeof s === "string" && s !== "";
}

function isPlainObject(value: unknown): value is object {
  return typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}
