/**
 * The Convex tables of qc's shared op stream (docs/design.md §6).
 *
 * - `projects`: one per project on this deployment; `head` is the last `seq`
 *   handed out (the gapless per-project counter), `stream` a random id that
 *   tells this stream apart from any other (another deployment, a re-created
 *   project).
 * - `members`: one row per (project, actor); only the sha256 of the token is
 *   stored.
 * - `replicas`: which member (actor) owns a replica id in a project: the
 *   first to push an op with it (`lib/replicas.ts`).
 * - `ops`: the op envelope in columns for indexing and inspection; `body` is
 *   the canonical JSON of the op body (a string, so any JSON register value
 *   fits Convex's value rules) and `extra` the canonical JSON of any top-level
 *   field of a future op that the columns cannot hold. `lib/stored.ts` holds
 *   the encoder and its decoder: pull returns exactly the pushed op, and
 *   beside it `receivedAt`, when the server stored it.
 */
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

export const roleValidator = v.union(v.literal("owner"), v.literal("editor"), v.literal("viewer"));

export default defineSchema({
  projects: defineTable({
    project: v.string(),
    name: v.string(),
    stream: v.string(),
    head: v.number(),
    createdAt: v.number(),
  }).index("by_project", ["project"]),

  members: defineTable({
    project: v.string(),
    tokenHash: v.string(),
    role: roleValidator,
    actor: v.string(),
    revoked: v.boolean(),
  })
    .index("by_token_hash", ["tokenHash"])
    .index("by_project_actor", ["project", "actor"]),

  replicas: defineTable({
    project: v.string(),
    replica: v.string(),
    actor: v.string(),
  }).index("by_project_replica", ["project", "replica"]),

  ops: defineTable({
    project: v.string(),
    seq: v.number(),
    id: v.string(),
    hlc: v.string(),
    replica: v.string(),
    actor: v.string(),
    v: v.optional(v.number()),
    kind: v.optional(v.string()),
    target: v.optional(v.object({ type: v.string(), id: v.string() })),
    body: v.optional(v.string()),
    prev: v.optional(v.array(v.string())),
    extra: v.optional(v.string()),
    hash: v.string(),
    /** UTF-8 bytes of the op's canonical JSON: bounds pull pages. */
    bytes: v.number(),
    /**
     * Server time (ms since epoch) when push stored the op. Not part of the op
     * or its hash: the op's HLC says when it was written, this when the team
     * could first see it. Absent on ops stored before it was recorded.
     */
    receivedAt: v.optional(v.number()),
  })
    .index("by_project_seq", ["project", "seq"])
    .index("by_project_id", ["project", "id"])
    .index("by_project_replica", ["project", "replica"]),
});
