/**
 * Merging codes and acknowledging conflicts.
 *
 * `mergeCodes(from, into)`: `from` becomes an alias of `into`; its segments
 * (and ones coded concurrently) count for `into`. Refused when it would loop
 * back through earlier merges. `resolveConflict` hides a derived conflict on
 * every replica (conflict ids are the same everywhere).
 */
import type { CommandContext } from "./context.js";
import { fail } from "./errors.js";
import { aliasOf, openConflictIds, requireLive } from "./read.js";

export function mergeCodes(ctx: CommandContext, from: string, into: string): void {
  requireLive(ctx.db, "code", from, "code to merge");
  requireLive(ctx.db, "code", into, "code to merge into");
  if (from === into || aliasOf(ctx.db, into) === from) {
    fail("would-create-cycle", `cannot merge code ${from} into ${into}: it would merge a code into itself`);
  }
  ctx.emit([{ kind: "merge", target: { type: "code", id: from }, body: { into } }]);
}

export function resolveConflict(ctx: CommandContext, conflict: string): void {
  if (!openConflictIds(ctx.db).has(conflict)) {
    fail("not-found", `no open conflict with id ${conflict}: it may be resolved already; list the conflicts to see the open ones`);
  }
  ctx.emit([{ kind: "resolve", target: { type: "project", id: ctx.project }, body: { conflict } }]);
}
