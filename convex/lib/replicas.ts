/**
 * Replica ids belong to members: the first member (actor) to push an op
 * with a replica id owns it in that project, and `ops:push` refuses the id
 * from anyone else (`replica-claimed`). Otherwise a member could push an op
 * under another member's replica id with an HLC ahead of theirs, and that
 * member's own next op with the same id would be refused as `id-reused`.
 * A replica id is random per file, so honest members never collide; the
 * one way they do is a project file copied from another member's computer.
 *
 * A replica id with no binding yet but with stored ops (pushed before the
 * `replicas` table existed) belongs to the member its earliest stored op
 * acts for: the actor, or the member whose agent (`agent:<member>`, decision
 * 0009) made it, since an agent's edits travel in its member's replica.
 */
import { agentOf } from "@qc/core/op";
import type { MutationCtx, QueryCtx } from "../_generated/server.js";
import type { CheckedOp } from "./check.js";
import { fail } from "./errors.js";

/**
 * The replica ids of `batch` not bound yet (to `bindReplicas` to `actor`
 * once every other check passed); throws `replica-claimed` if another
 * member owns one.
 */
export async function unboundReplicas(ctx: QueryCtx, project: string, actor: string, batch: ReadonlyArray<CheckedOp>): Promise<string[]> {
  const unbound: string[] = [];
  for (const [replica, opId] of firstOpOfEachReplica(batch)) {
    const bound = await ctx.db
      .query("replicas")
      .withIndex("by_project_replica", (q) => q.eq("project", project).eq("replica", replica))
      .unique();
    const owner = bound?.actor ?? (await earliestActor(ctx, project, replica));
    if (owner !== undefined && owner !== actor && owner !== agentOf(actor)) {
      fail(
        "replica-claimed",
        `Op ${opId} carries replica id ${replica}, which belongs to another member of project ${project}; ` +
          "a replica id belongs to the member who first pushed with it. Open the project afresh (your own invite) instead of a copied project file.",
      );
    }
    if (bound === null) unbound.push(replica);
  }
  return unbound;
}

/** Makes `actor` the owner of each of `replicas` in `project`. */
export async function bindReplicas(ctx: MutationCtx, project: string, actor: string, replicas: ReadonlyArray<string>): Promise<void> {
  for (const replica of replicas) await ctx.db.insert("replicas", { project, replica, actor });
}

/** The actor of the earliest stored op with `replica`, if any (a member or a member's agent). */
async function earliestActor(ctx: QueryCtx, project: string, replica: string): Promise<string | undefined> {
  const op = await ctx.db
    .query("ops")
    .withIndex("by_project_replica", (q) => q.eq("project", project).eq("replica", replica))
    .first();
  return op?.actor;
}

function firstOpOfEachReplica(batch: ReadonlyArray<CheckedOp>): Map<string, string> {
  const first = new Map<string, string>();
  for (const op of batch) if (!first.has(op.envelope.replica)) first.set(op.envelope.replica, op.envelope.id);
  return first;
}
