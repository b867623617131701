/**
 * Folders: a tree that holds sources. Create here; rename, move, delete and
 * restore are the shared ones (common.ts) with type "folder".
 */
import type { CommandContext } from "./context.js";
import { checkParent } from "./common.js";
import { checkName } from "./validate.js";

export interface CreateFolderInput {
  readonly name: string;
  readonly parent?: string | null;
}

export function createFolder(ctx: CommandContext, input: CreateFolderInput): string {
  const name = checkName(input.name, "folder");
  const parent = checkParent(ctx, "folder", undefined, input.parent ?? null);
  const id = ctx.newId();
  ctx.emit([{ kind: "create", target: { type: "folder", id }, body: { fields: { name, parent } } }]);
  return id;
}
