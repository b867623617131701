/**
 * Errors of the op layer. Each names the op, where in it the problem is, and
 * which rule it broke (`check`), so callers can map it to a quarantine reason
 * without parsing the message.
 */
import * as Data from "effect/Data";

/** Which rule an op broke. */
export type OpDecodeCheck =
  | "not-an-object" // the input is not an op object at all
  | "shape" // a missing, extra or mistyped property (Effect Schema)
  | "unsafe-data" // a "__proto__" key or a cycle
  | "too-deep" // objects and arrays nested deeper than MAX_DEPTH
  | "newer-version" // `v` above OP_VERSION: keep and forward, never apply
  | "unknown-kind" // a kind this version does not know: keep and forward
  | "id-not-hlc" // `id` differs from `hlc`
  | "wrong-replica" // `hlc` does not end in `-<replica>`
  | "project-target" // an op on the project entity names another project
  | "kind-target" // the kind does not apply to the target type
  | "too-large" // canonical body above MAX_BODY_BYTES, or the whole op above MAX_OP_BYTES
  | "field"; // field name or value against the domain table

export class OpDecodeError extends Data.TaggedError("OpDecodeError")<{
  /** The op's id (or hlc) when the input has one as a string. */
  readonly opId: string | undefined;
  /** Where the problem is, e.g. `body.fields.color`; "" for the op itself. */
  readonly path: string;
  readonly reason: string;
  readonly check: OpDecodeCheck;
}> {
  override get message(): string {
    const where = this.path === "" ? "" : `${this.path}: `;
    return `op ${this.opId ?? "(no readable id)"}: ${where}${this.reason}`;
  }
}
