/**
 * Effect Schemas for the shape of the op envelope v1 and every body
 * (docs/design.md §3). They check types and formats only; `decodeOp`
 * (op-schema.ts) adds the rules across fields and the domain table.
 *
 * Invariant: `Schema.Schema.Type<typeof OpSchema>` is exactly op.ts's `Op`
 * (checked at compile time below). Pure: effect only.
 */
import * as Schema from "effect/Schema";
import { isHlc, isReplicaId } from "../hlc.js";
import { actorProblem } from "./actor.js";
import { describeValue, isBase64 } from "./domain.js";
import { ENTITY_TYPES, MAX_ID_LENGTH, MAX_PREV, OP_VERSION } from "./op.js";
import type { JsonValue, Op, OpKind } from "./op.js";

export const NonEmptyStringSchema = Schema.String.pipe(Schema.filter((s) => s !== "" || "expected a non-empty string"));
const tooLong = (s: string): string => `expected at most ${MAX_ID_LENGTH} characters, got ${s.length}`;
/** Entity and project ids, and ids named in bodies. */
export const IdSchema = NonEmptyStringSchema.pipe(Schema.filter((s) => s.length <= MAX_ID_LENGTH || tooLong(s)));
// Op ids in `prev` and `unlink.adds` are only required to be (bounded) strings: an
// id that names no stored op simply matches nothing, so it cannot corrupt state.
const OpIdString = Schema.String.pipe(Schema.filter((s) => s.length <= MAX_ID_LENGTH || tooLong(s)));
const PrevSchema = Schema.Array(OpIdString).pipe(
  Schema.filter((ids) => ids.length <= MAX_PREV || `expected at most ${MAX_PREV} op ids, got ${ids.length}`),
);

export const ActorSchema = Schema.String.pipe(Schema.filter((s) => actorProblem(s) ?? true));

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
  Schema.filter((s) => isHlc(s) || `expected an HLC like 2026-11-25T12:00:00.000Z-0000-7f3a9c2e1b4d5a6c, got ${describeValue(s)}`),
);

const Base64Schema = Schema.String.pipe(
  Schema.filter((s) => (s !== "" && isBase64(s)) || `expected non-empty base64, got ${describeValue(s)}`),
);

const EmptyBody = Schema.Record({
  key: Schema.String,
  value: Schema.Never.annotations({ message: () => "is unexpected: this body must be empty ({})" }),
});

export const TargetSchema = Schema.Struct({ type: Schema.Literal(...ENTITY_TYPES), id: IdSchema });

export const BODY_SCHEMAS = {
  create: Schema.Struct({ fields: Schema.Record({ key: Schema.String, value: JsonValueSchema }) }),
  set: Schema.Struct({ field: NonEmptyStringSchema, value: JsonValueSchema }),
  text: Schema.Struct({ field: NonEmptyStringSchema, update: Base64Schema }),
  delete: EmptyBody,
  restore: EmptyBody,
  move: Schema.Struct({ parent: Schema.NullOr(IdSchema) }),
  link: Schema.Struct({ source: IdSchema }),
  unlink: Schema.Struct({ adds: Schema.Array(OpIdString) }),
  merge: Schema.Struct({ into: Schema.NullOr(IdSchema) }),
  resolve: Schema.Struct({ conflict: IdSchema }),
} as const;

const envelopeFields = {
  v: Schema.Literal(OP_VERSION),
  id: Schema.String,
  project: IdSchema,
  replica: ReplicaSchema,
  actor: ActorSchema,
  hlc: HlcSchema,
  target: TargetSchema,
  prev: Schema.optionalWith(PrevSchema, { exact: true }),
  undoes: Schema.optionalWith(IdSchema, { exact: true }),
};

/** The envelope of any v1 op; kind and body not yet checked, so unknown kinds are readable. */
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
