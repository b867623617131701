/**
 * The op module functions the op log depends on, in one place: decoding
 * (`classifyOp`), canonical JSON and the content hash.
 */
export { classifyOp } from "../op/op-schema.js";
export { canonicalJson, hashOp } from "../op/canonical.js";
