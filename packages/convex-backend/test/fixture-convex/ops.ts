/** Fixture `ops:push`, `ops:pull`, `ops:head` (untyped data model: a few `any`s). */
/* eslint-disable @typescript-eslint/no-explicit-any */
import { ConvexError, v, type GenericId } from "convex/values";
import type { GenericDatabaseReader, GenericDataModel } from "convex/server";
import { mutation, query } from "./_generated/server.js";
import { requireMember } from "./auth.js";

async function projectRow(db: GenericDatabaseReader<GenericDataModel>, project: string) {
  const row = await db
    .query("projects")
    .withIndex("by_project", (q) => q.eq("project", project))
    .unique();
  if (row === null) throw new ConvexError({ code: "not-found", message: `no project ${project}` });
  return row;
}

export const push = mutation({
  args: { token: v.string(), project: v.string(), ops: v.array(v.any()) },
  handler: async (ctx, { token, project, ops }) => {
    const me = await requireMember(ctx.db, token, project);
    if (me.role === "viewer") throw new ConvexError({ code: "forbidden", message: "viewers cannot push" });
    const p = await projectRow(ctx.db, project);
    let head = p["head"] as number;
    const acked: string[] = [];
    for (const op of ops as Array<{ id: string; actor: string }>) {
      const json = JSON.stringify(op);
      const existing = await ctx.db
        .query("ops")
        .withIndex("by_project_id", (q: any) => q.eq("project", project).eq("id", op.id))
        .unique();
      if (existing !== null && existing["json"] !== json) {
        throw new ConvexError({ code: "id-reused", message: `op ${op.id} exists with other content` });
      }
      if (existing === null) {
        head += 1;
        await ctx.db.insert("ops", { project, seq: head, id: op.id, json });
      }
      acked.push(op.id);
    }
    await ctx.db.patch(p._id as GenericId<string>, { head });
    return { acked, head };
  },
});

export const pull = query({
  args: { token: v.string(), project: v.string(), after: v.number(), limit: v.optional(v.number()) },
  handler: async (ctx, { token, project, after, limit }) => {
    await requireMember(ctx.db, token, project);
    const p = await projectRow(ctx.db, project);
    const rows = await ctx.db
      .query("ops")
      .withIndex("by_project_seq", (q: any) => q.eq("project", project).gt("seq", after))
      .take(Math.min(limit ?? 500, 1000));
    return { ops: rows.map((r) => ({ seq: r["seq"] as number, op: JSON.parse(r["json"] as string) })), head: p["head"] };
  },
});

export const head = query({
  args: { token: v.string(), project: v.string() },
  handler: async (ctx, { token, project }) => {
    await requireMember(ctx.db, token, project);
    const p = await projectRow(ctx.db, project);
    return { project, stream: p["stream"], head: p["head"] };
  },
});
