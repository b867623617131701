/**
 * Sources and their text: import a text source (its content arrives as
 * `text` ops, split to respect the op body limit), register a media source,
 * edit a text source's content, and edit any entity's memo.
 */
import { isTextField, SOURCE_KINDS } from "../op/domain.js";
import type { EntityType } from "../op/op.js";
import type { CommandContext } from "./context.js";
import { checkParent } from "./common.js";
import { fail } from "./errors.js";
import { fieldOf, requireLive } from "./read.js";
import { editText, initialTextDrafts, type TextEdit } from "./text-edit.js";
import { checkName } from "./validate.js";

export interface ImportTextSourceInput {
  readonly name: string;
  readonly text: string;
  /** Folder id, or null/absent for top level. */
  readonly parent?: string | null;
}

export function importTextSource(ctx: CommandContext, input: ImportTextSourceInput): string {
  const name = checkName(input.name, "source");
  const parent = checkParent(ctx, "source", undefined, input.parent ?? null);
  if (typeof input.text !== "string") fail("invalid-value", "the source text must be a string");
  const id = ctx.newId();
  const content = initialTextDrafts(ctx.replica, "source", id, "content", input.text);
  ctx.emit([{ kind: "create", target: { type: "source", id }, body: { fields: { name, kind: "text", parent } } }, ...content]);
  return id;
}

const MEDIA_KINDS: ReadonlyArray<string> = SOURCE_KINDS.filter((k) => k !== "text");

export interface AddMediaSourceInput {
  readonly name: string;
  readonly kind: Exclude<(typeof SOURCE_KINDS)[number], "text">;
  readonly mediaPath: string;
  readonly parent?: string | null;
}

export function addMediaSource(ctx: CommandContext, input: AddMediaSourceInput): string {
  const name = checkName(input.name, "source");
  if (!MEDIA_KINDS.includes(input.kind)) {
    fail(
      "invalid-value",
      `media kind must be one of pdf, image, audio, video; got ${JSON.stringify(input.kind)} (use importTextSource for text)`,
    );
  }
  if (typeof input.mediaPath !== "string" || input.mediaPath === "") fail("invalid-value", "a media source needs its media path");
  const parent = checkParent(ctx, "source", undefined, input.parent ?? null);
  const id = ctx.newId();
  ctx.emit([
    { kind: "create", target: { type: "source", id }, body: { fields: { name, kind: input.kind, mediaPath: input.mediaPath, parent } } },
  ]);
  return id;
}

export function editSourceText(ctx: CommandContext, source: string, edit: TextEdit): void {
  requireLive(ctx.db, "source", source);
  const kind = fieldOf(ctx.db, "source", source, "kind");
  if (kind !== "text") fail("invalid-value", `source ${source} is a ${String(kind)} source: only text sources have editable text`);
  editText(ctx, "source", source, "content", edit);
}

/** Edits the memo of any entity that has one (project, category, code, source, segment, case). */
export function editMemo(ctx: CommandContext, type: EntityType, id: string, edit: TextEdit): void {
  if (!isTextField(type, "memo")) fail("invalid-value", `a ${type} has no memo`);
  editText(ctx, type, id, "memo", edit);
}
