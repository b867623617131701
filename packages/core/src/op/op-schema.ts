/**
 * Effect Schemas for the op envelope v1 and every body (DESIGN.md §3), and the
 * decoder every untrusted op goes through (`decodeOp`, `classifyOp`).
 *
 * A decoded op satisfies, beyond its shape:
 * - `id === hlc`, `hlc` is a valid HLC ending in `-<replica>`;
 * - an op on the project entity targets the op's own `project`;
 * - its kind applies to its target type, and field names and values follow
 *   `domain.ts` (text fields only through `text` ops; segment create complete;
 *   segment source/start/end never `set`);
 * - the canonical JSON of its body is at most MAX_BODY_BYTES.
 * Extra properties anywhere are refused, never stripped: stripping would
 * change the op's hash (`hashOp`) between replicas.
 *
 * An op with a newer `v` or an unknown `kind` is not an error for the log:
 * `classifyOp` reports it as "future" so callers keep and forward it.
 * Pure: effect only; runs in Convex functions.
 */
import { Data, Either, ParseResult, Schema } from "effect";
import { isHlc, isReplicaId } from "../hlc.js";
import { bodyBytes } from "./canonical.js";
import { DOMAIN, describeValue, isBase64, isFixedAfterCreate, isKindAllowed, isTextField, validateFieldValue } from "./domain.js";
import { ENTITY_TYPES, MAX_BODY_BYTES, OP_KINDS, OP_VERSION } from "./op.js";
import type { EntityType, JsonValue, Op, OpKind } from "./op.js";

export class OpDecodeError extends Data.TaggedError("OpDecodeError")<{
  /** The op's id (or hlc) when the input has one as a string. */
  readonly opId: string | undefined;
  /** Where the problem is, e.g. `body.fields.color`; "" for the op itself. */
  readonly path: string;
  readonly reason: string;
}> {
  override get message(): string {
    const where = this.path === "" ? "" : `${this.path}: `;
    return `op ${this.opId ?? "(no readable id)"}: ${where}${this.reason}`;
  }
}

export type OpClassification =
  | { readonly _tag: "valid"; readonly op: Op }
  | {
      readonly _tag: "future";
      readonly reason: "newer-version" | "unknown-kind";
      readonly id?: string;
      readonly hlc?: string;
    }
  | { readonly _tag: "invalid"; readonly error: OpDecodeError };

const NonEmptyString = Schema.String.pipe(
  Schema.filter((s) => s !== "" || "expected a non-empty string"),
);
const OpIdString = Schema.String;

export const JsonValueSchema: Schema.Schema<JsonValue> = Schema.Union(
  Schema.Null,
  Schema.Boolean,
  Schema.Finite,
  Schema.String,
  Schema.Array(Schema.suspend(() => JsonValueSchema)),
  Schema.Record({ key: Schema.String, value: Schema.suspend(() => JsonValueSchema) }),
);

export const ReplicaSchema = Schema.String.pipe(
  Schema.filter((s) => isReplicaId(s) || `expected 16 lowercase hex chars, got ${describeValue(s)}`),
);

export const HlcSchema = Schema.String.pipe(
  Schema.filter(
    (s) =>
      isHlc(s) ||
      `expected an HLC like 2026-11-25T12:00:00.000Z-0000-7f3a9c2e1b4d5a6c, got ${describeValue(s)}`,
  ),
);

const Base64Schema = Schema.String.pipe(
  Schema.filter((s) => (s !== "" && isBase64(s)) || `expected non-empty base64, got ${describeValue(s)}`),
);

const EmptyBody = Schema.Record({
  key: Schema.String,
  value: Schema.Never.annotations({ message: () => "is unexpected: this body must be empty ({})" }),
});

export const TargetSchema = Schema.Struct({ type: Schema.Literal(...ENTITY_TYPES), id: NonEmptyString });

export const BODY_SCHEMAS = {
  create: Schema.Struct({ fields: Schema.Record({ key: Schema.String, value: JsonValueSchema }) }),
  set: Schema.Struct({ field: NonEmptyString, value: JsonValueSchema }),
  text: Schema.Struct({ field: NonEmptyString, update: Base64Schema }),
  delete: EmptyBody,
  restore: EmptyBody,
  move: Schema.Struct({ parent: Schema.NullOr(NonEmptyString) }),
  link: Schema.Struct({ source: NonEmptyString }),
  unlink: Schema.Struct({ adds: Schema.Array(OpIdString) }),
  merge: Schema.Struct({ into: NonEmptyString }),
  resolve: Schema.Struct({ conflict: NonEmptyString }),
} as const;

const envelopeFields = {
  v: Schema.Literal(OP_VERSION),
  id: Schema.String,
  project: NonEmptyString,
  replica: ReplicaSchema,
  actor: NonEmptyString,
  hlc: HlcSchema,
  target: TargetSchema,
  prev: Schema.optionalWith(Schema.Array(OpIdString), { exact: true }),
};

/** The envelope of any v1 op, kind and body not yet checked. */
export const EnvelopeSchema = Schema.Struct({ ...envelopeFields, kind: Schema.String, body: Schema.Unknown });

const opSchemaOf = <K extends OpKind>(kind: K) =>
  Schema.Struct({ ...envelopeFields, kind: Schema.Literal(kind), body: BODY_SCHEMAS[kind] });

/** Shape only: `decodeOp` adds the cross-field and domain checks. */
export const OpSchema = Schema.Union(
  opSchemaOf("create"),
  opSchemaOf("set"),
  opSchemaOf("text"),
  opSchemaOf("delete"),
  opSchemaOf("restore"),
  opSchemaOf("move"),
  opSchemaOf("link"),
  opSchemaOf("unlink"),
  opSchemaOf("merge"),
  opSchemaOf("resolve"),
);

// Compile-time check that the schema decodes exactly into op.ts's `Op`.
const assertSchemaMatchesOp: [Schema.Schema.Type<typeof OpSchema>] extends [Op]
  ? [Op] extends [Schema.Schema.Type<typeof OpSchema>]
    ? true
    : never
  : never = true;
void assertSchemaMatchesOp;

const parseOptions = { onExcessProperty: "error", errors: "first" } as const;
type Envelope = Schema.Schema.Type<typeof EnvelopeSchema>;

export function decodeOp(input: unknown): Either.Either<Op, OpDecodeError> {
  const opId = readOpId(input);
  const fail = (path: string, reason: string) => Either.left(new OpDecodeError({ opId, path, reason }));
  if (!isRecord(input)) return fail("", `expected an op object, got ${describeValue(input)}`);
  if (isNewerVersion(input["v"])) {
    return fail("v", `op version ${String(input["v"])} is newer than this qc understands (${OP_VERSION}); update qc to apply it`);
  }
  // Decoding copies records by assignment, where a "__proto__" key would set the prototype.
  const unsafe = findUnsafeData(input, "");
  if (unsafe !== undefined) return fail(unsafe.path, unsafe.reason);
  return Either.flatMap(decodeEnvelope(input, opId), (envelope) => {
    if (!isOpKind(envelope.kind)) {
      return fail("kind", `unknown op kind ${describeValue(envelope.kind)} (made by a newer qc?); update qc to apply it`);
    }
    return decodeBody(envelope, envelope.kind, opId);
  });
}

export function classifyOp(input: unknown): OpClassification {
  if (isRecord(input) && isNewerVersion(input["v"])) return future("newer-version", input);
  if (isRecord(input) && input["v"] === OP_VERSION && typeof input["kind"] === "string" && !isOpKind(input["kind"])) {
    const envelope = decodeEnvelope(input, readOpId(input));
    return Either.isLeft(envelope) ? { _tag: "invalid", error: envelope.left } : future("unknown-kind", input);
  }
  const decoded = decodeOp(input);
  return Either.isRight(decoded) ? { _tag: "valid", op: decoded.right } : { _tag: "invalid", error: decoded.left };
}

/** Decodes envelope fields and checks the rules that hold for every kind, known or not. */
function decodeEnvelope(input: Record<string, unknown>, opId: string | undefined): Either.Either<Envelope, OpDecodeError> {
  const decoded = Schema.decodeUnknownEither(EnvelopeSchema, parseOptions)(input);
  if (Either.isLeft(decoded)) return Either.left(toDecodeError(decoded.left, opId, ""));
  const envelope = decoded.right;
  const fail = (path: string, reason: string) => Either.left(new OpDecodeError({ opId, path, reason }));
  if (envelope.id !== envelope.hlc) return fail("id", `must equal hlc (${envelope.hlc}), got ${describeValue(envelope.id)}`);
  if (!envelope.hlc.endsWith(`-${envelope.replica}`)) {
    return fail("hlc", `must end in the op's replica -${envelope.replica}`);
  }
  if (envelope.target.type === "project" && envelope.target.id !== envelope.project) {
    return fail("target.id", `the project entity's id is the op's project ${describeValue(envelope.project)}, got ${describeValue(envelope.target.id)}`);
  }
  return Either.right(envelope);
}

function decodeBody(envelope: Envelope, kind: OpKind, opId: string | undefined): Either.Either<Op, OpDecodeError> {
  const fail = (path: string, reason: string) => Either.left(new OpDecodeError({ opId, path, reason }));
  const type = envelope.target.type;
  if (!isKindAllowed(kind, type)) return fail("kind", `${kind} does not apply to a ${type}`);
  const schema: Schema.Schema<unknown, unknown> = BODY_SCHEMAS[kind] as Schema.Schema<unknown, unknown>;
  const decoded = Schema.decodeUnknownEither(schema, parseOptions)(envelope.body);
  if (Either.isLeft(decoded)) return Either.left(toDecodeError(decoded.left, opId, "body"));
  const op = { ...envelope, kind, body: decoded.right } as Op;
  const size = bodyBytes(op);
  if (size > MAX_BODY_BYTES) {
    return fail("body", `is ${size} bytes of canonical JSON, more than the ${MAX_BODY_BYTES} allowed; split large text into several text ops`);
  }
  const problem = checkDomain(op);
  return problem === undefined ? Either.right(op) : fail(problem.path, problem.reason);
}

type Problem = { readonly path: string; readonly reason: string } | undefined;

function checkDomain(op: Op): Problem {
  const type = op.target.type;
  switch (op.kind) {
    case "create":
      return checkCreateFields(type, op.body.fields);
    case "set":
      if (isFixedAfterCreate(type, op.body.field)) {
        return { path: "body.field", reason: `a ${type}'s ${op.body.field} is fixed at creation and cannot be set` };
      }
      return checkRegister(type, op.body.field, op.body.value, "body.field", "body.value");
    case "text":
      return isTextField(type, op.body.field)
        ? undefined
        : { path: "body.field", reason: `${describeValue(op.body.field)} is not a text field of ${type} (text fields: ${DOMAIN[type].texts.join(", ") || "none"})` };
    default:
      return undefined;
  }
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

function toDecodeError(error: ParseResult.ParseError, opId: string | undefined, prefix: string): OpDecodeError {
  const issue = ParseResult.ArrayFormatter.formatErrorSync(error)[0];
  const path = [prefix, ...(issue?.path ?? []).map(formatPathSegment)].filter((p) => p !== "").join(".").replace(/\.\[/g, "[");
  return new OpDecodeError({ opId, path, reason: issue?.message ?? String(error.message) });
}

/** Where the input stops being plain JSON-like data: a "__proto__" key or a cycle. */
function findUnsafeData(value: unknown, path: string, ancestors: Set<object> = new Set()): Problem {
  if (typeof value !== "object" || value === null) return undefined;
  if (ancestors.has(value)) return { path, reason: "the value contains itself (a cycle)" };
  ancestors.add(value);
  const entries: Array<[string, unknown]> = Array.isArray(value)
    ? value.map((item, i) => [`${path}[${i}]`, item])
    : Object.keys(value).map((key) => [path === "" ? key : `${path}.${key}`, (value as Record<string, unknown>)[key]]);
  for (const [childPath, child] of entries) {
    if (childPath.endsWith(".__proto__") || childPath === "__proto__") {
      return { path: childPath, reason: `"__proto__" is not allowed as a key` };
    }
    const problem = findUnsafeData(child, childPath, ancestors);
    if (problem !== undefined) return problem;
  }
  ancestors.delete(value);
  return undefined;
}

function future(reason: "newer-version" | "unknown-kind", input: Record<string, unknown>): OpClassification {
  const id = input["id"];
  const hlc = input["hlc"];
  return {
    _tag: "future",
    reason,
    ...(typeof id === "string" ? { id } : {}),
    ...(typeof hlc === "string" ? { hlc } : {}),
  };
}

function readOpId(input: unknown): string | undefined {
  if (!isRecord(input)) return undefined;
  const id = input["id"] ?? input["hlc"];
  return typeof id === "string" ? id : undefined;
}

function isNewerVersion(v: unknown): boolean {
  return typeof v === "number" && Number.isInteger(v) && v > OP_VERSION;
}

function isOpKind(kind: string): kind is OpKind {
  return (OP_KINDS as ReadonlyArray<string>).includes(kind);
}

function formatPathSegment(segment: PropertyKey): string {
  return typeof segment === "number" ? `[${segment}]` : String(segment);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
