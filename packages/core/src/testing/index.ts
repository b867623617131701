/**
 * Test helpers other packages need (`@qc/core/testing`): op builders, the
 * in-memory remote, fault injection. Each helper lives in its own module and
 * is re-exported here.
 */
export * from "./memory-remote.js";
export * from "./faulty-remote.js";
export * from "./sqlite-remote.js";
export * from "../op/op-builder.js";
export * from "../commands/arbitrary.js";
export * from "./prng.js";
export * from "./replica-db.js";
export * from "./yjs-updates.js";
