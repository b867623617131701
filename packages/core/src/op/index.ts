/**
 * `@qc/core/op`: the pure op layer (envelope types, domain table, decoder,
 * canonical encoding, HLC). Safe to import from convex/ functions: nothing
 * here touches Node, SQLite or the network. The test op builder is not
 * exported here but from `@qc/core/testing`.
 */
export * from "./op.js";
export * from "./domain.js";
export * from "./op-shape.js";
export * from "./op-schema.js";
export * from "./canonical.js";
export * from "../hlc.js";
export * from "./push-check.js";
export * from "./protocol-version.js";
export * from "./actor.js";
