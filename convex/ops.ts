/**
 * The op stream of a project (docs/design.md §6): `push` stores a batch of ops
 * (all or nothing, idempotent by op id) and gives each new op the next
 * gapless per-project `seq` and the server's receive time; `pull` pages through the stream by `seq`;
 * `head` says where the stream ends and which stream it is. A replica id
 * belongs to the first member who pushes with it (`lib/replicas.ts`).
 *
 * A refused batch writes nothing: every check throws before the first insert,
 * and a throwing mutation is rolled back anyway.
 */
import { v } from "convex/values";
import type { Doc } from "./_generated/dataModel.js";
import { mutation, query, type MutationCtx, type QueryCtx } from "./_generated/server.js";
import { ANY_ROLE, WRITERS, requireMember } from "./lib/auth.js";
import { canonicalBytes, checkOp, type CheckedOp } from "./lib/check.js";
import { fail } from "./lib/errors.js";
import { MAX_BATCH_BYTES, MAX_BATCH_OPS, PULL_DEFAULT_BYTES, PULL_DEFAULT_LIMIT, PULL_MAX_BYTES, PULL_MAX_LIMIT } from "./lib/limits.js";
import { protocolArg, requireProtocol } from "./lib/protocol.js";
import { bindReplicas, unboundReplicas } from "./lib/replicas.js";
import { fromStored, toStored } from "./lib/stored.js";

export const push = mutation({
  args: { protocol: protocolArg, token: v.string(), project: v.string(), ops: v.array(v.any()) },
  handler: async (ctx, args): Promise<{ acked: string[]; head: number }> => {
    requireProtocol(args.protocol);
    const { member, project } = await requireMember(ctx, args.token, args.project, WRITERS);
    const now = Date.now();
    const checked = checkBatch(args.ops, { project: args.project, actor: member.actor, now });
    const unbound = await unboundReplicas(ctx, args.project, member.actor, checked);
    const fresh = await dedupe(ctx, args.project, checked);
    await bindReplicas(ctx, args.project, member.actor, unbound);
    let head = project.head;
    for (const op of fresh) {
      head += 1;
      await ctx.db.insert("ops", { ...toStored(op.envelope, op.op), seq: head, hash: op.hash, bytes: op.bytes, receivedAt: now });
    }
    if (head !== project.head) await ctx.db.patch(project._id, { head });
    return { acked: uniqueIds(checked), head };
  },
});

export const pull = query({
  args: {
    protocol: protocolArg,
    token: v.string(),
    project: v.string(),
    after: v.number(),
    limit: v.optional(v.number()),
    maxBytes: v.optional(v.number()),
  },
  handler: async (ctx, args): Promise<{ ops: PulledOp[]; head: number }> => {
    requireProtocol(args.protocol);
    const { project } = await requireMember(ctx, args.token, args.project, ANY_ROLE);
    const after = requireCount("after", args.after, 0, Number.MAX_SAFE_INTEGER);
    const limit = requireCount("limit", args.limit ?? PULL_DEFAULT_LIMIT, 1, Number.MAX_SAFE_INTEGER);
    const maxBytes = requireCount("maxBytes", args.maxBytes ?? PULL_DEFAULT_BYTES, 1, Number.MAX_SAFE_INTEGER);
    const page = await readPage(ctx, args.project, after, Math.min(limit, PULL_MAX_LIMIT), Math.min(maxBytes, PULL_MAX_BYTES));
    return { ops: page.map(pulledOp), head: project.head };
  },
});

/** A stored op as pull returns it: the op exactly as pushed, and when the server received it (if recorded). */
interface PulledOp {
  seq: number;
  op: Record<string, unknown>;
  receivedAt?: number;
}

function pulledOp(doc: Doc<"ops">): PulledOp {
  const op = { seq: doc.seq, op: fromStored(doc) };
  return doc.receivedAt === undefined ? op : { ...op, receivedAt: doc.receivedAt };
}

export const head = query({
  args: { protocol: protocolArg, token: v.string(), project: v.string() },
  handler: async (ctx, args): Promise<{ project: string; stream: string; head: number }> => {
    requireProtocol(args.protocol);
    const { project } = await requireMember(ctx, args.token, args.project, ANY_ROLE);
    return { project: project.project, stream: project.stream, head: project.head };
  },
});

/** Size and per-op checks of a whole batch, before anything is read or written. */
function checkBatch(ops: ReadonlyArray<unknown>, context: Parameters<typeof checkOp>[3]): CheckedOp[] {
  if (ops.length > MAX_BATCH_OPS) {
    fail("batch-too-large", `A push holds at most ${MAX_BATCH_OPS} ops; this one holds ${ops.length}. Split it.`);
  }
  const sizes = ops.map((op, index) => canonicalBytes(op, index));
  const total = sizes.reduce((sum, size) => sum + size, 0);
  if (total > MAX_BATCH_BYTES) {
    fail("batch-too-large", `A push holds at most ${MAX_BATCH_BYTES} bytes of ops; this one holds ${total}. Split it.`);
  }
  return ops.map((op, index) => checkOp(op, index, sizes[index] ?? 0, context));
}

/**
 * The ops of the batch not stored yet, in batch order and each id once.
 * An id seen before (stored, or earlier in the batch) with another hash
 * refuses the whole batch.
 */
async function dedupe(ctx: MutationCtx, project: string, batch: ReadonlyArray<CheckedOp>): Promise<CheckedOp[]> {
  const seen = new Map<string, string>();
  const fresh: CheckedOp[] = [];
  for (const op of batch) {
    const id = op.envelope.id;
    const known = seen.get(id) ?? (await storedHash(ctx, project, id));
    if (known !== undefined && known !== op.hash) {
      fail("id-reused", `Op id ${id} is already used by an op with other content; ids must not be reused.`);
    }
    if (known === undefined) fresh.push(op);
    seen.set(id, op.hash);
  }
  return fresh;
}

async function storedHash(ctx: MutationCtx, project: string, id: string): Promise<string | undefined> {
  const doc = await ctx.db
    .query("ops")
    .withIndex("by_project_id", (q) => q.eq("project", project).eq("id", id))
    .unique();
  return doc?.hash;
}

/** Ops after `after` in seq order: at most `limit`, and within `maxBytes` unless it is the first. */
async function readPage(ctx: QueryCtx, project: string, after: number, limit: number, maxBytes: number): Promise<Doc<"ops">[]> {
  const page: Doc<"ops">[] = [];
  let bytes = 0;
  const docs = ctx.db.query("ops").withIndex("by_project_seq", (q) => q.eq("project", project).gt("seq", after));
  for await (const doc of docs) {
    if (page.length > 0 && bytes + doc.bytes > maxBytes) break;
    page.push(doc);
    bytes += doc.bytes;
    if (page.length >= limit) break;
  }
  return page;
}

function requireCount(name: string, value: number, min: number, max: number): number {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    fail("invalid-argument", `${name} must be an integer from ${min}; got ${value}.`);
  }
  return value;
}

function uniqueIds(batch: ReadonlyArray<CheckedOp>): string[] {
  return [...new Set(batch.map((op) => op.envelope.id))];
}
