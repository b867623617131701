/**
 * Test helpers other packages need (`@qc/core/testing`): the Node part (the
 * in-memory and SQLite remotes, fault injection, command arbitraries, temp
 * folders, `waitFor`) plus everything of the pure part
 * (`@qc/core/testing/pure`: op builder, test HLCs, PRNG). Each helper lives in
 * its own module and is re-exported here.
 */
export * from "./memory-remote.js";
export * from "./faulty-remote.js";
export * from "./sqlite-remote.js";
export * from "./pure/index.js";
export * from "./arbitrary.js";
export * from "./replica-db.js";
export * from "./open-or-create.js";
export * from "./yjs-updates.js";
export * from "./temp-dir.js";
export * from "./wait-for.js";
