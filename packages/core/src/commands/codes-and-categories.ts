/**
 * Codes and categories: create, rename, recolour, move, delete, restore.
 * Codes and categories share one tree (a code's parent is a category);
 * categories may nest, and a move that would close a loop is refused here
 * (concurrent ones are resolved by the materialiser, merge rule 5).
 */
import type { CommandContext } from "./context.js";
import { checkParent, setField } from "./common.js";
import { requireLive } from "./read.js";
import { checkColor, checkName } from "./validate.js";

export interface CreateCodeInput {
  readonly name: string;
  /** #RRGGBB */
  readonly color: string;
  /** Category id, or null/absent for top level. */
  readonly parent?: string | null;
}

export function createCode(ctx: CommandContext, input: CreateCodeInput): string {
  return createInTree(ctx, "code", input);
}

export function createCategory(ctx: CommandContext, input: CreateCodeInput): string {
  return createInTree(ctx, "category", input);
}

export function recolour(ctx: CommandContext, type: "code" | "category", id: string, color: string): void {
  requireLive(ctx.db, type, id);
  setField(ctx, type, id, "color", checkColor(color));
}

function createInTree(ctx: CommandContext, type: "code" | "category", input: CreateCodeInput): string {
  const name = checkName(input.name, type);
  const color = checkColor(input.color);
  const parent = checkParent(ctx, type, undefined, input.parent ?? null);
  const id = ctx.newId();
  ctx.emit([{ kind: "create", target: { type, id }, body: { fields: { name, color, parent } } }]);
  return id;
}
