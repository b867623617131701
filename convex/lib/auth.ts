/**
 * Token checks shared by every function: a token names one member of one
 * project; it is refused when unknown, revoked or for another project, and
 * the member's role must be one the function allows.
 */
import { ROLES, type Role } from "@qc/core/op";
import type { Doc } from "../_generated/dataModel.js";
import type { QueryCtx } from "../_generated/server.js";
import { fail } from "./errors.js";
import { hashToken } from "./tokens.js";

export const ANY_ROLE: ReadonlyArray<Role> = ROLES;
export const WRITERS: ReadonlyArray<Role> = ["owner", "editor"];
export const OWNERS: ReadonlyArray<Role> = ["owner"];

export interface Access {
  readonly member: Doc<"members">;
  readonly project: Doc<"projects">;
}

/** The caller's membership of `project`, or a thrown token-refused / forbidden. */
export async function requireMember(ctx: QueryCtx, token: string, project: string, roles: ReadonlyArray<Role>): Promise<Access> {
  const member = await findMember(ctx, token);
  if (member === null || member.revoked || member.project !== project) {
    fail("token-refused", `This token is not valid for project ${project}.`);
  }
  const projectDoc = await findProject(ctx, project);
  if (projectDoc === null) fail("token-refused", `This token is not valid for project ${project}.`);
  if (!roles.includes(member.role)) {
    fail("forbidden", `Role ${member.role} may not do this in project ${project} (needs ${roles.join(" or ")}).`);
  }
  return { member, project: projectDoc };
}

export async function findProject(ctx: QueryCtx, project: string): Promise<Doc<"projects"> | null> {
  return await ctx.db
    .query("projects")
    .withIndex("by_project", (q) => q.eq("project", project))
    .unique();
}

async function findMember(ctx: QueryCtx, token: string): Promise<Doc<"members"> | null> {
  if (token.length === 0 || token.length > 200) return null;
  const tokenHash = hashToken(token);
  return await ctx.db
    .query("members")
    .withIndex("by_token_hash", (q) => q.eq("tokenHash", tokenHash))
    .unique();
}
