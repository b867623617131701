/**
 * The rules an op must follow beyond its shape (docs/design.md §2, §3), as pure
 * checks over an op whose shape is already decoded. Each returns the first
 * problem found, with its path inside the op, or undefined.
 *
 * - text fields only through `text` ops (never in create or set);
 * - register names and values per the domain table;
 * - a segment create names code, source, start and end; a segment's source,
 *   start and end are never `set`;
 * - a text op's update is a Yjs update of plain text into its field's root
 *   (yjs-update.ts);
 * - `findUnsafeData` runs on raw input before decoding: decoding copies
 *   records by assignment, where a "__proto__" key would set the prototype
 *   and a cycle would never end; and every later walk recurses, so nesting
 *   deeper than MAX_DEPTH is refused first (the walk stops there).
 */
import { decodeBase64 } from "./base64.js";
import { DOMAIN, describeValue, isFixedAfterCreate, isTextField, validateFieldValue } from "./domain.js";
import { MAX_DEPTH } from "./op.js";
import type { EntityType, JsonValue, Op } from "./op.js";
import { textUpdateProblem } from "./yjs-update.js";

export type Problem = { readonly path: string; readonly reason: string } | undefined;
export type UnsafeProblem = { readonly path: string; readonly reason: string; readonly tooDeep: boolean } | undefined;

export function checkOpFields(op: Op): Problem {
  const type = op.target.type;
  switch (op.kind) {
    case "create":
      return checkCreateFields(type, op.body.fields);
    case "set":
      if (isFixedAfterCreate(type, op.body.field)) {
        return { path: "body.field", reason: `a ${type}'s ${op.body.field} is fixed at creation and cannot be set` };
      }
      return checkRegister(type, op.body.field, op.body.value, "body.field", "body.value");
    case "text": {
      if (!isTextField(type, op.body.field)) return { path: "body.field", reason: describeNotText(type, op.body.field) };
      const reason = textUpdateProblem(decodeBase64(op.body.update), op.body.field);
      return reason === undefined ? undefined : { path: "body.update", reason };
    }
    default:
      return undefined;
  }
}

/**
 * Where the input stops being plain JSON-like data: a "__proto__" key, a
 * cycle, or objects and arrays nested more than MAX_DEPTH levels (the input
 * itself is level 1). Recurses at most MAX_DEPTH deep.
 */
export function findUnsafeData(value: unknown, path = "", ancestors: Set<object> = new Set()): UnsafeProblem {
  if (typeof value !== "object" || value === null) return undefined;
  if (ancestors.has(value)) return { path, reason: "the value contains itself (a cycle)", tooDeep: false };
  if (ancestors.size >= MAX_DEPTH) {
    return { path, reason: `objects and arrays are nested more than ${MAX_DEPTH} levels deep`, tooDeep: true };
  }
  ancestors.add(value);
  const isArray = Array.isArray(value);
  // Own keys, enumerable or not: the schema decoder reads a hidden property too, so the walk must see what it will copy.
  const keys = isArray ? Object.keys(value) : Object.getOwnPropertyNames(value);
  for (const key of keys) {
    const childPath = isArray ? `${path}[${key}]` : path === "" ? key : `${path}.${key}`;
    if (!isArray && key === "__proto__") return { path: childPath, reason: `"__proto__" is not allowed as a key`, tooDeep: false };
    const problem = findUnsafeData((value as Record<string, unknown>)[key], childPath, ancestors);
    if (problem !== undefined) return problem;
  }
  ancestors.delete(value);
  return undefined;
}

function checkCreateFields(type: EntityType, fields: { readonly [k: string]: JsonValue }): Problem {
  for (const field of Object.keys(fields)) {
    const problem = checkRegister(type, field, fields[field], `body.fields.${field}`, `body.fields.${field}`);
    if (problem !== undefined) return problem;
  }
  for (const field of DOMAIN[type].requiredOnCreate) {
    if (!Object.hasOwn(fields, field)) return { path: `body.fields.${field}`, reason: `a ${type} create must set ${field}` };
  }
  return undefined;
}

function checkRegister(type: EntityType, field: string, value: unknown, fieldPath: string, valuePath: string): Problem {
  if (isTextField(type, field)) {
    return { path: fieldPath, reason: `${field} is a text field of ${type}: write it with text ops, not create or set` };
  }
  const reason = validateFieldValue(type, field, value);
  if (reason === undefined) return undefined;
  const unknownField = reason.startsWith(`${type} has no field`);
  return { path: unknownField ? fieldPath : valuePath, reason };
}

function describeNotText(type: EntityType, field: string): string {
  const texts = DOMAIN[type].texts.join(", ") || "none";
  return `${describeValue(field)} is not a text field of ${type} (text fields: ${texts})`;
}
