/**
 * The op module functions the op log depends on, in one place: decoding
 * (`classifyOp`), canonical JSON and the content hash.
 *
 * `encodeOp` produces the canonical JSON the `ops` row is packed from. The
 * log stores no hash (docs/decisions/0028): an op's content hash is
 * `contentHash` of that JSON, exactly `hashOp`'s definition (checked by a
 * test), with node:crypto (native) rather than the pure-JS hash `hashOp`
 * needs for Convex.
 */
import { hash } from "node:crypto";
import { canonicalJson } from "../op/canonical.js";
import { fastDecodeOp } from "../op/op-fast.js";
import { classifyOpWithSchema, type OpClassification } from "../op/op-schema.js";
import type { Op } from "../op/op.js";

export { classifyOp } from "../op/op-schema.js";
export { canonicalJson, hashOp } from "../op/canonical.js";

export interface EncodedOp {
  readonly json: string;
}

export function encodeOp(op: Op): EncodedOp {
  return { json: canonicalJson(op) };
}

/**
 * `classifyOp(raw)` and, for a valid op, `encodeOp` of the decoded op from
 * the same walk when the fast decoder took it (op-fast.ts: its JSON is
 * `canonicalJson` of the op it returns), so an ingested op is walked once.
 */
export function classifyAndEncode(raw: unknown): { readonly classification: OpClassification; readonly encoded?: EncodedOp } {
  const fast = fastDecodeOp(raw);
  if (fast !== undefined) return { classification: { _tag: "valid", op: fast.op }, encoded: { json: fast.json } };
  const classification = classifyOpWithSchema(raw);
  return classification._tag === "valid" ? { classification, encoded: encodeOp(classification.op) } : { classification };
}

/** SHA-256 hex of an op's canonical JSON: its content hash (`hashOp`). */
export function contentHash(json: string): string {
  // One-shot crypto.hash: the same digest of the UTF-8 bytes as createHash, without the Hash object.
  return hash("sha256", json, "hex");
}
