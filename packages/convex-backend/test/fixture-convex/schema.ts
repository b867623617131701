/**
 * A tiny stand-in for /convex (same function names and error codes, far fewer
 * checks). Lets the protocol backend be tested on its own; the real
 * conformance suite runs against /convex.
 */
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export default defineSchema({
  projects: defineTable({ project: v.string(), stream: v.string(), head: v.number() }).index("by_project", [
    "project",
  ]),
  members: defineTable({ project: v.string(), token: v.string(), role: v.string(), actor: v.string() }).index(
    "by_token",
    ["token"],
  ),
  ops: defineTable({ project: v.string(), seq: v.number(), id: v.string(), json: v.string() })
    .index("by_project_seq", ["project", "seq"])
    .index("by_project_id", ["project", "id"]),
});
