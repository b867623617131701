/** Fixture `projects:create`. */
import { v } from "convex/values";
import { mutation } from "./_generated/server.js";
import { newToken } from "./auth.js";

export const create = mutation({
  args: { project: v.string(), name: v.string(), actor: v.string() },
  handler: async (ctx, { project, actor }) => {
    const stream = newToken();
    await ctx.db.insert("projects", { project, stream, head: 0 });
    const token = newToken();
    await ctx.db.insert("members", { project, token, role: "owner", actor });
    return { token, stream };
  },
});
