// Node 20 lacks fs.globSync (added in Node 22); @modelcontextprotocol/conformance >= 0.1.14
// imports it by name from "fs" at link time (only its tier-check command calls it).
// Loaded with `node --import ./conformance/node20-fs-register.mjs`.
import * as fs from "node:fs";
export * from "node:fs";
export default fs.default ?? fs;
export function globSync() {
  throw new Error("fs.globSync is not available on Node 20 (only conformance tier-check uses it)");
}
