/**
 * Journals (a name and a text) and the project itself (its name and memo).
 */
import { setField } from "./common.js";
import type { CommandContext } from "./context.js";
import { requireLive } from "./read.js";
import { editText, initialTextDrafts, type TextEdit } from "./text-edit.js";
import { checkName } from "./validate.js";

export function createJournal(ctx: CommandContext, input: { readonly name: string; readonly text?: string }): string {
  const name = checkName(input.name, "journal");
  const id = ctx.newId();
  const content = input.text === undefined ? [] : initialTextDrafts(ctx.replica, "journal", id, "content", input.text);
  ctx.emit([{ kind: "create", target: { type: "journal", id }, body: { fields: { name } } }, ...content]);
  return id;
}

export function editJournal(ctx: CommandContext, journal: string, edit: TextEdit): void {
  editText(ctx, "journal", journal, "content", edit);
}

export function renameProject(ctx: CommandContext, name: string): void {
  requireLive(ctx.db, "project", ctx.project);
  setField(ctx, "project", ctx.project, "name", checkName(name, "project"));
}

export function editProjectMemo(ctx: CommandContext, edit: TextEdit): void {
  editText(ctx, "project", ctx.project, "memo", edit);
}
