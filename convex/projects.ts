/**
 * Creating a project's stream on this deployment. The project id comes from
 * the client (the replica that created the project); the deployment gives it
 * a random `stream` id and makes the creator its first owner. A deployment
 * may require a creation key (`lib/creation-key.ts`).
 */
import { v } from "convex/values";
import { mutation } from "./_generated/server.js";
import { findProject } from "./lib/auth.js";
import { requireCreationKey } from "./lib/creation-key.js";
import { fail } from "./lib/errors.js";
import { requireActor, requireName } from "./lib/names.js";
import { protocolArg, requireProtocol } from "./lib/protocol.js";
import { hashToken, newStreamId, newToken } from "./lib/tokens.js";

export const create = mutation({
  args: { protocol: protocolArg, project: v.string(), name: v.string(), actor: v.string(), key: v.optional(v.string()) },
  handler: async (ctx, args): Promise<{ token: string; stream: string }> => {
    requireProtocol(args.protocol);
    requireCreationKey(args.key);
    const project = requireName("project", args.project);
    const name = requireName("name", args.name);
    const actor = requireActor(args.actor);
    if ((await findProject(ctx, project)) !== null) {
      fail("invalid-argument", `Project ${project} already exists on this deployment.`);
    }
    const stream = newStreamId();
    await ctx.db.insert("projects", { project, name, stream, head: 0, createdAt: Date.now() });
    const token = newToken();
    await ctx.db.insert("members", { project, tokenHash: hashToken(token), role: "owner", actor, revoked: false });
    return { token, stream };
  },
});
