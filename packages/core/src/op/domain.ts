/**
 * The domain of docs/design.md §2 as data: which fields each entity type has,
 * which of them are Yjs texts, what values its registers accept, and which op
 * kinds apply to which type.
 *
 * Invariants the op decoder relies on:
 * - text fields are written only by `text` ops, never by `create` or `set`;
 * - a segment's `source`, `start` and `end` are fixed at creation, and a
 *   segment `create` carries all four of code, source, start and end;
 * - `attr:<attributeId>` registers exist on case and source only.
 *
 * Validators return a reason ("expected #RRGGBB, got \"red\"") or undefined.
 * Pure: no I/O.
 */
import { MAX_ID_LENGTH } from "./op.js";
import type { EntityType, OpKind } from "./op.js";

export type FieldValidator = (value: unknown) => string | undefined;

export interface EntitySpec {
  readonly registers: { readonly [field: string]: FieldValidator };
  readonly texts: ReadonlyArray<string>;
  /** Register fields a `create` must carry. */
  readonly requiredOnCreate: ReadonlyArray<string>;
  /** Register fields only a `create` may write. */
  readonly fixedAfterCreate: ReadonlyArray<string>;
  /** Whether `attr:<attributeId>` registers exist on this type. */
  readonly attributes: boolean;
}

export const MAX_NAME_LENGTH = 500;
export const SOURCE_KINDS = ["text", "pdf", "image", "audio", "video"] as const;
export const ATTRIBUTE_VALUE_TYPES = ["text", "number", "date", "boolean"] as const;
export const ATTRIBUTE_TARGETS = ["case", "source"] as const;
export const ATTRIBUTE_FIELD_PREFIX = "attr:";

export const validateName: FieldValidator = (v) => {
  if (typeof v !== "string") return `expected a name (string), got ${describeValue(v)}`;
  if (v.trim() === "") return "expected a non-empty name, got only whitespace or nothing";
  if (v !== v.trim()) return `expected a name without leading or trailing whitespace, got ${describeValue(v)}`;
  const length = [...v].length;
  if (length > MAX_NAME_LENGTH) return `expected a name of at most ${MAX_NAME_LENGTH} characters, got ${length}`;
  return undefined;
};

export const validateColor: FieldValidator = (v) =>
  typeof v === "string" && /^#[0-9a-fA-F]{6}$/.test(v) ? undefined : `expected #RRGGBB, got ${describeValue(v)}`;

export const validateEntityId: FieldValidator = (v) =>
  isEntityId(v) ? undefined : `expected an entity id (non-empty string of at most ${MAX_ID_LENGTH} characters), got ${describeValue(v)}`;

export const validateParent: FieldValidator = (v) =>
  v === null || isEntityId(v)
    ? undefined
    : `expected a parent id (non-empty string of at most ${MAX_ID_LENGTH} characters) or null, got ${describeValue(v)}`;

/** A non-empty string of at most MAX_ID_LENGTH UTF-16 units. */
export function isEntityId(v: unknown): v is string {
  return typeof v === "string" && v !== "" && v.length <= MAX_ID_LENGTH;
}

export const validateMediaPath: FieldValidator = (v) =>
  v === null || typeof v === "string" ? undefined : `expected a media path (string) or null, got ${describeValue(v)}`;

export const validateBoolean: FieldValidator = (v) =>
  typeof v === "boolean" ? undefined : `expected true or false, got ${describeValue(v)}`;

/** Segment anchor: base64 Yjs relative position (text sources) or a finite number. */
export const validateAnchor: FieldValidator = (v) =>
  (typeof v === "number" && Number.isFinite(v)) || (typeof v === "string" && isBase64(v) && v !== "")
    ? undefined
    : `expected an anchor (base64 Yjs relative position or finite number), got ${describeValue(v)}`;

export const validateAttributeValue: FieldValidator = (v) =>
  v === null || typeof v === "string" || typeof v === "boolean" || (typeof v === "number" && Number.isFinite(v))
    ? undefined
    : `expected an attribute value (string, finite number, boolean or null), got ${describeValue(v)}`;

export const DOMAIN: { readonly [T in EntityType]: EntitySpec } = {
  project: spec({ name: validateName }, ["memo"]),
  category: spec({ name: validateName, color: validateColor, parent: validateParent }, ["memo"]),
  code: spec({ name: validateName, color: validateColor, parent: validateParent }, ["memo"]),
  folder: spec({ name: validateName, parent: validateParent }, []),
  source: {
    ...spec(
      {
        name: validateName,
        kind: validateOneOf(SOURCE_KINDS, "source kind"),
        mediaPath: validateMediaPath,
        parent: validateParent,
      },
      ["content", "memo"],
    ),
    attributes: true,
  },
  segment: {
    ...spec(
      {
        code: validateEntityId,
        source: validateEntityId,
        start: validateAnchor,
        end: validateAnchor,
        important: validateBoolean,
      },
      ["memo"],
    ),
    requiredOnCreate: ["code", "source", "start", "end"],
    fixedAfterCreate: ["source", "start", "end"],
  },
  case: { ...spec({ name: validateName }, ["memo"]), attributes: true },
  attribute: spec(
    {
      name: validateName,
      valueType: validateOneOf(ATTRIBUTE_VALUE_TYPES, "attribute value type"),
      appliesTo: validateOneOf(ATTRIBUTE_TARGETS, "attribute target"),
    },
    [],
  ),
  journal: spec({ name: validateName }, ["content"]),
};

/** Kinds restricted to some entity types; the others apply to every type. */
export const KIND_TARGETS: { readonly [K in OpKind]?: ReadonlyArray<EntityType> } = {
  move: ["category", "folder", "code", "source"],
  link: ["case"],
  unlink: ["case"],
  merge: ["code"],
  resolve: ["project"],
  text: (Object.keys(DOMAIN) as Array<EntityType>).filter((t) => DOMAIN[t].texts.length > 0),
};

export function isKindAllowed(kind: OpKind, type: EntityType): boolean {
  const allowed = KIND_TARGETS[kind];
  return allowed === undefined || allowed.includes(type);
}

export function isTextField(type: EntityType, field: string): boolean {
  return DOMAIN[type].texts.includes(field);
}

export function isRegisterField(type: EntityType, field: string): boolean {
  return Object.hasOwn(DOMAIN[type].registers, field) || readAttributeId(type, field) !== undefined;
}

export function isFixedAfterCreate(type: EntityType, field: string): boolean {
  return DOMAIN[type].fixedAfterCreate.includes(field);
}

/**
 * The attribute id of an `attr:<attributeId>` field on a type that has
 * attributes. The id must be printable ASCII, at most 1,000 chars: the
 * field name becomes an object key in `create.fields`, and Convex refuses
 * other keys (and keys over 1,024 chars), so such an op could never be pushed (it would be retried
 * forever) — it is refused here instead, on every replica alike.
 */
export function readAttributeId(type: EntityType, field: string): string | undefined {
  if (!DOMAIN[type].attributes || !field.startsWith(ATTRIBUTE_FIELD_PREFIX)) return undefined;
  const id = field.slice(ATTRIBUTE_FIELD_PREFIX.length);
  return /^[\x20-\x7e]{1,1000}$/.test(id) ? id : undefined;
}

/** Why `value` is not valid for register `field` of `type`, or undefined. Text fields are never valid here. */
export function validateFieldValue(type: EntityType, field: string, value: unknown): string | undefined {
  if (isTextField(type, field)) return `${field} is a text field of ${type}: only text ops write it`;
  const registers = DOMAIN[type].registers;
  const validator = Object.hasOwn(registers, field) ? registers[field] : undefined;
  if (validator !== undefined) return validator(value);
  if (readAttributeId(type, field) !== undefined) return validateAttributeValue(value);
  return `${type} has no field ${JSON.stringify(field)} (fields: ${listFields(type).join(", ")})`;
}

export function listFields(type: EntityType): ReadonlyArray<string> {
  const spec = DOMAIN[type];
  const fields = [...Object.keys(spec.registers), ...spec.texts];
  return spec.attributes ? [...fields, `${ATTRIBUTE_FIELD_PREFIX}<attributeId>`] : fields;
}

export function isBase64(s: string): boolean {
  return s.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(s);
}

/** A short, readable rendering of a value for error messages. */
export function describeValue(v: unknown): string {
  let text: string;
  if (v === undefined) text = "undefined";
  else if (typeof v === "number" || typeof v === "bigint" || typeof v === "symbol" || typeof v === "function") {
    text = typeof v === "function" ? "a function" : String(v);
  } else {
    try {
      text = JSON.stringify(v) ?? String(v);
    } catch {
      text = Object.prototype.toString.call(v);
    }
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function spec(registers: EntitySpec["registers"], texts: ReadonlyArray<string>): EntitySpec {
  return { registers, texts, requiredOnCreate: [], fixedAfterCreate: [], attributes: false };
}

function validateOneOf(options: ReadonlyArray<string>, what: string): FieldValidator {
  return (v) =>
    typeof v === "string" && options.includes(v) ? undefined : `expected a ${what} (${options.join(", ")}), got ${describeValue(v)}`;
}
