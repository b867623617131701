/** Fixture token check: the token itself is stored (it is a fixture). */
import { ConvexError } from "convex/values";
import type { GenericDatabaseReader, GenericDataModel } from "convex/server";

export interface Member {
  readonly role: string;
  readonly actor: string;
}

export async function requireMember(
  db: GenericDatabaseReader<GenericDataModel>,
  token: string,
  project: string,
): Promise<Member> {
  const row = await db
    .query("members")
    .withIndex("by_token", (q) => q.eq("token", token))
    .unique();
  if (row === null || row["project"] !== project) {
    throw new ConvexError({ code: "token-refused", message: "unknown token for this project" });
  }
  return { role: row["role"] as string, actor: row["actor"] as string };
}

export function newToken(): string {
  return crypto.randomUUID();
}
