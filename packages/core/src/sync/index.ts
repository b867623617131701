/** Sync: the remote interface, what a replica offers the engine, and the engine. */
export * from "./remote-op-store.js";
export * from "./syncable-replica.js";
