/** Fixture `members:invite`. */
import { ConvexError, v } from "convex/values";
import { mutation } from "./_generated/server.js";
import { newToken, requireMember } from "./auth.js";

export const invite = mutation({
  args: { token: v.string(), project: v.string(), actor: v.string(), role: v.string() },
  handler: async (ctx, { token, project, actor, role }) => {
    const me = await requireMember(ctx.db, token, project);
    if (me.role !== "owner") throw new ConvexError({ code: "forbidden", message: "only owners invite" });
    const fresh = newToken();
    await ctx.db.insert("members", { project, token: fresh, role, actor });
    return { token: fresh };
  },
});
