/**
 * The decoder every untrusted op goes through (docs/design.md §3): `decodeOp`
 * and `classifyOp`, built on the Effect Schemas of `op-shape.ts` and the
 * rules of `op-rules.ts`.
 *
 * A decoded op satisfies, beyond its shape:
 * - `id === hlc`, `hlc` is a valid HLC ending in `-<replica>`;
 * - an op on the project entity targets the op's own `project`;
 * - its kind applies to its target type, and field names and values follow
 *   `domain.ts`;
 * - the canonical JSON of its body is at most MAX_BODY_BYTES, of the whole
 *   op at most MAX_OP_BYTES; ids at most MAX_ID_LENGTH, `prev` at most
 *   MAX_PREV ids; nesting at most MAX_DEPTH levels (any input, future ops
 *   included: checked before anything recurses);
 * - `actor` follows actor.ts; a text op's update is a Yjs text update.
 * Extra properties anywhere are refused, never stripped: stripping would
 * change the op's hash (`hashOp`) between replicas. The decoded op shares no
 * objects with the input.
 *
 * An op with a newer `v` or an unknown `kind` is not an error for the log:
 * `classifyOp` reports it as "future" so callers keep and forward it.
 * Pure: effect only; runs in Convex functions.
 */
import * as Either from "effect/Either";
import * as ParseResult from "effect/ParseResult";
import * as Schema from "effect/Schema";
import { bodyBytes, canonicalJson, utf8Length } from "./canonical.js";
import { describeValue, isKindAllowed } from "./domain.js";
import { OpDecodeError } from "./errors.js";
import type { OpDecodeCheck } from "./errors.js";
import { fastDecodeOp } from "./op-fast.js";
import { BODY_SCHEMAS, EnvelopeSchema } from "./op-shape.js";
import { checkOpFields, findUnsafeData } from "./op-rules.js";
import { MAX_BODY_BYTES, MAX_OP_BYTES, OP_KINDS, OP_VERSION } from "./op.js";
import type { Op, OpKind } from "./op.js";

export { OpDecodeError } from "./errors.js";
export type { OpDecodeCheck } from "./errors.js";

export type OpClassification =
  | { readonly _tag: "valid"; readonly op: Op }
  | {
      readonly _tag: "future";
      readonly reason: "newer-version" | "unknown-kind";
      readonly id?: string;
      readonly hlc?: string;
    }
  | { readonly _tag: "invalid"; readonly error: OpDecodeError };

type Envelope = Schema.Schema.Type<typeof EnvelopeSchema>;
type Decoded<A> = Either.Either<A, OpDecodeError>;

const parseOptions = { onExcessProperty: "error", errors: "first" } as const;

/** Never throws: input that cannot even be read (a throwing getter) is invalid. */
export function decodeOp(input: unknown): Decoded<Op> {
  const fast = fastDecodeOp(input);
  if (fast !== undefined) return Either.right(fast.op);
  try {
    return decodeOpWithSchema(input);
  } catch (cause) {
    return Either.left(unreadable(cause));
  }
}

/** Never throws, like `decodeOp`. */
export function classifyOp(input: unknown): OpClassification {
  const fast = fastDecodeOp(input);
  if (fast !== undefined) return { _tag: "valid", op: fast.op };
  try {
    return classifyOpWithSchema(input);
  } catch (cause) {
    return { _tag: "invalid", error: unreadable(cause) };
  }
}

function unreadable(cause: unknown): OpDecodeError {
  const reason = `the input cannot be read: ${cause instanceof Error ? cause.message : String(cause)}`;
  return new OpDecodeError({ opId: undefined, path: "", reason, check: "not-an-object" });
}

/**
 * `decodeOp` through the Effect Schemas only. `decodeOp` and `classifyOp`
 * first try `fastDecodeOp` (op-fast.ts), which accepts only what this
 * accepts and decodes it to the same op; anything else comes here, so the
 * verdict and the error are always this function's. Exported for that
 * property test and for callers that already tried the fast path.
 */
export function decodeOpWithSchema(input: unknown): Decoded<Op> {
  const opId = readOpId(input);
  const fail = failFor(opId);
  if (!isRecord(input)) return fail("not-an-object", "", `expected an op object, got ${describeValue(input)}`);
  const unbounded = checkBounds(input, opId);
  if (unbounded !== undefined) return Either.left(unbounded);
  if (isNewerVersion(input["v"])) {
    return fail(
      "newer-version",
      "v",
      `op version ${String(input["v"])} is newer than this qc understands (${OP_VERSION}); update qc to apply it`,
    );
  }
  return Either.flatMap(decodeEnvelope(input, opId), (envelope) => {
    if (!isOpKind(envelope.kind)) {
      return fail("unknown-kind", "kind", `unknown op kind ${describeValue(envelope.kind)} (made by a newer qc?); update qc to apply it`);
    }
    return decodeBody(envelope, envelope.kind, opId);
  });
}

/** `classifyOp` through the Effect Schemas only (see `decodeOpWithSchema`). */
export function classifyOpWithSchema(input: unknown): OpClassification {
  const unbounded = isRecord(input) ? checkBounds(input, readOpId(input)) : undefined;
  if (unbounded !== undefined) return { _tag: "invalid", error: unbounded };
  if (isRecord(input) && isNewerVersion(input["v"])) return future("newer-version", input);
  if (isRecord(input) && input["v"] === OP_VERSION && typeof input["kind"] === "string" && !isOpKind(input["kind"])) {
    const envelope = decodeEnvelope(input, readOpId(input));
    return Either.isLeft(envelope) ? { _tag: "invalid", error: envelope.left } : future("unknown-kind", input);
  }
  const decoded = decodeOpWithSchema(input);
  return Either.isRight(decoded) ? { _tag: "valid", op: decoded.right } : { _tag: "invalid", error: decoded.left };
}

/**
 * The rules every input obeys, future ops included, before anything walks it
 * recursively: no "__proto__", no cycle, at most MAX_DEPTH levels, and at
 * most MAX_OP_BYTES of canonical JSON (an input JSON cannot carry is left
 * to the shape checks, which name the bad value).
 */
function checkBounds(input: Record<string, unknown>, opId: string | undefined): OpDecodeError | undefined {
  const unsafe = findUnsafeData(input);
  if (unsafe !== undefined) {
    const check = unsafe.tooDeep ? "too-deep" : "unsafe-data";
    return new OpDecodeError({ opId, path: unsafe.path, reason: unsafe.reason, check });
  }
  let size: number;
  try {
    size = utf8Length(canonicalJson(input));
  } catch {
    return undefined;
  }
  if (size <= MAX_OP_BYTES) return undefined;
  const reason = `the op is ${size} bytes of canonical JSON, more than the ${MAX_OP_BYTES} allowed`;
  return new OpDecodeError({ opId, path: "", reason, check: "too-large" });
}

/** Decodes the envelope and checks the rules that hold for every kind, known or not. */
function decodeEnvelope(input: Record<string, unknown>, opId: string | undefined): Decoded<Envelope> {
  const decoded = Schema.decodeUnknownEither(EnvelopeSchema, parseOptions)(input);
  if (Either.isLeft(decoded)) return Either.left(toDecodeError(decoded.left, opId, ""));
  const envelope = decoded.right;
  const fail = failFor(opId);
  if (envelope.id !== envelope.hlc) {
    return fail("id-not-hlc", "id", `must equal hlc (${envelope.hlc}), got ${describeValue(envelope.id)}`);
  }
  if (!envelope.hlc.endsWith(`-${envelope.replica}`)) {
    return fail("wrong-replica", "hlc", `must end in the op's replica -${envelope.replica}`);
  }
  if (envelope.target.type === "project" && envelope.target.id !== envelope.project) {
    const reason = `the project entity's id is the op's project ${describeValue(envelope.project)}, got ${describeValue(envelope.target.id)}`;
    return fail("project-target", "target.id", reason);
  }
  return Either.right(envelope);
}

function decodeBody(envelope: Envelope, kind: OpKind, opId: string | undefined): Decoded<Op> {
  const fail = failFor(opId);
  const type = envelope.target.type;
  if (!isKindAllowed(kind, type)) return fail("kind-target", "kind", `${kind} does not apply to a ${type}`);
  const schema = BODY_SCHEMAS[kind] as Schema.Schema<unknown, unknown>;
  const decoded = Schema.decodeUnknownEither(schema, parseOptions)(envelope.body);
  if (Either.isLeft(decoded)) return Either.left(toDecodeError(decoded.left, opId, "body"));
  const op = { ...envelope, kind, body: decoded.right } as Op;
  const size = bodyBytes(op);
  if (size > MAX_BODY_BYTES) {
    const reason = `is ${size} bytes of canonical JSON, more than the ${MAX_BODY_BYTES} allowed; split large text into several text ops`;
    return fail("too-large", "body", reason);
  }
  const problem = checkOpFields(op);
  return problem === undefined ? Either.right(op) : fail("field", problem.path, problem.reason);
}

function failFor(opId: string | undefined) {
  return (check: OpDecodeCheck, path: string, reason: string): Decoded<never> =>
    Either.left(new OpDecodeError({ opId, path, reason, check }));
}

function toDecodeError(error: ParseResult.ParseError, opId: string | undefined, prefix: string): OpDecodeError {
  const issue = ParseResult.ArrayFormatter.formatErrorSync(error)[0];
  const segments = (issue?.path ?? []).map((s) => (typeof s === "number" ? `[${s}]` : `.${String(s)}`));
  const path = `${prefix}${segments.join("")}`.replace(/^\./, "");
  return new OpDecodeError({ opId, path, reason: issue?.message ?? error.message, check: "shape" });
}

function future(reason: "newer-version" | "unknown-kind", input: Record<string, unknown>): OpClassification {
  const { id, hlc } = input;
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
  return typeof id === "string" ? shorten(id) : undefined;
}

/** An id as error messages quote it: a hostile one may be megabytes long. */
function shorten(id: string): string {
  return id.length > 120 ? `${id.slice(0, 120)}…` : id;
}

function isNewerVersion(v: unknown): boolean {
  return typeof v === "number" && Number.isInteger(v) && v > OP_VERSION;
}

function isOpKind(kind: string): kind is OpKind {
  return (OP_KINDS as ReadonlyArray<string>).includes(kind);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
