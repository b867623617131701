/**
 * Project membership: owners invite (a new token, returned once) and revoke;
 * any member lists. One row per (project, actor): inviting a revoked actor
 * again gives it a new token and role; the old token stays refused. Actor
 * names are normalised (NFC, trimmed) and must pass the op decoder's actor
 * rule (no controls, bidi or invisible characters), so "José" typed two
 * ways is one member and no name can pose as another in the history.
 */
import { normaliseActor } from "@qc/core/op";
import { v } from "convex/values";
import type { Doc } from "./_generated/dataModel.js";
import { mutation, query, type QueryCtx } from "./_generated/server.js";
import { ANY_ROLE, OWNERS, requireMember } from "./lib/auth.js";
import { fail } from "./lib/errors.js";
import { requireActor } from "./lib/names.js";
import { protocolArg, requireProtocol } from "./lib/protocol.js";
import { hashToken, newToken } from "./lib/tokens.js";
import { roleValidator } from "./schema.js";

export const invite = mutation({
  args: { protocol: protocolArg, token: v.string(), project: v.string(), actor: v.string(), role: roleValidator },
  handler: async (ctx, args): Promise<{ token: string }> => {
    requireProtocol(args.protocol);
    await requireMember(ctx, args.token, args.project, OWNERS);
    const actor = requireActor(args.actor);
    const existing = await findByActor(ctx, args.project, actor);
    if (existing !== null && !existing.revoked) {
      fail("invalid-argument", `${actor} is already a member of project ${args.project}.`);
    }
    const token = newToken();
    const row = { project: args.project, tokenHash: hashToken(token), role: args.role, actor, revoked: false };
    if (existing === null) await ctx.db.insert("members", row);
    else await ctx.db.replace(existing._id, row);
    return { token };
  },
});

export const list = query({
  args: { protocol: protocolArg, token: v.string(), project: v.string() },
  handler: async (ctx, args): Promise<{ actor: string; role: Doc<"members">["role"]; revoked: boolean }[]> => {
    requireProtocol(args.protocol);
    await requireMember(ctx, args.token, args.project, ANY_ROLE);
    const rows = await ctx.db
      .query("members")
      .withIndex("by_project_actor", (q) => q.eq("project", args.project))
      .collect();
    return rows.map(({ actor, role, revoked }) => ({ actor, role, revoked }));
  },
});

export const revoke = mutation({
  args: { protocol: protocolArg, token: v.string(), project: v.string(), actor: v.string() },
  handler: async (ctx, args): Promise<null> => {
    requireProtocol(args.protocol);
    await requireMember(ctx, args.token, args.project, OWNERS);
    const actor = normaliseActor(args.actor);
    const target = await findByActor(ctx, args.project, actor);
    if (target === null) fail("not-found", `${actor} is not a member of project ${args.project}.`);
    if (target.revoked) return null;
    if (target.role === "owner" && (await countOwners(ctx, args.project)) <= 1) {
      fail("forbidden", `${actor} is the last owner of project ${args.project}; invite another owner first.`);
    }
    await ctx.db.patch(target._id, { revoked: true });
    return null;
  },
});

async function findByActor(ctx: QueryCtx, project: string, actor: string): Promise<Doc<"members"> | null> {
  return await ctx.db
    .query("members")
    .withIndex("by_project_actor", (q) => q.eq("project", project).eq("actor", actor))
    .unique();
}

async function countOwners(ctx: QueryCtx, project: string): Promise<number> {
  const rows = await ctx.db
    .query("members")
    .withIndex("by_project_actor", (q) => q.eq("project", project))
    .collect();
  return rows.filter((row) => row.role === "owner" && !row.revoked).length;
}
