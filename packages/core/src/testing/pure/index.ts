/**
 * The pure part of the test support (`@qc/core/testing/pure`): the op
 * builder, test HLCs and the seeded PRNG. Imports only `@qc/core/op`, so it
 * runs under edge-runtime and the convex/ suites can use it.
 */
export * from "./op-builder.js";
export * from "./test-hlc.js";
export * from "./test-ops.js";
export * from "./prng.js";
