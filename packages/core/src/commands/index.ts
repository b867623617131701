/**
 * The researcher commands, bound to one replica. Each call runs in one
 * immediate transaction (`run`): validation reads, stamping, append and
 * materialisation — one interactive edit. On a `CommandError` nothing is
 * written. Creating commands return the new entity's id. `batch` runs
 * several commands as one transaction with one change notification: when
 * `fn` throws, none of them is written; a command inside it that throws
 * leaves nothing of itself, so `fn` may catch a refusal and go on
 * (docs/decisions/0014).
 */
import type { EntityType } from "../op/op.js";
import * as Cases from "./cases-and-attributes.js";
import * as Codes from "./codes-and-categories.js";
import * as Common from "./common.js";
import type { CommandContext } from "./context.js";
import * as Folders from "./folders.js";
import * as Journals from "./journals.js";
import * as Merge from "./merge-and-resolve.js";
import * as Segments from "./segments.js";
import * as Sources from "./sources-and-text.js";
import type { TextEdit } from "./text-edit.js";
import * as Undo from "./undo/undo.js";

type Tree = "code" | "category" | "folder" | "source";
type Nameable = Exclude<EntityType, "segment">;

export interface Commands {
  readonly createCode: (input: Codes.CreateCodeInput) => string;
  readonly createCategory: (input: Codes.CreateCodeInput) => string;
  readonly createFolder: (input: Folders.CreateFolderInput) => string;
  readonly importTextSource: (input: Sources.ImportTextSourceInput) => string;
  readonly addMediaSource: (input: Sources.AddMediaSourceInput) => string;
  readonly codeSegment: (input: Segments.CodeSegmentInput) => string;
  readonly createCase: (input: { readonly name: string }) => string;
  readonly createAttribute: (input: Cases.CreateAttributeInput) => string;
  readonly createJournal: (input: { readonly name: string; readonly text?: string }) => string;

  readonly rename: (type: Nameable, id: string, name: string) => void;
  readonly recolour: (type: "code" | "category", id: string, color: string) => void;
  readonly move: (type: Tree, id: string, parent: string | null) => void;
  readonly remove: (type: EntityType, id: string) => void;
  readonly restore: (type: EntityType, id: string) => void;

  readonly editSourceText: (source: string, edit: TextEdit) => void;
  readonly editMemo: (type: EntityType, id: string, edit: TextEdit) => void;
  readonly editJournal: (journal: string, edit: TextEdit) => void;
  readonly editProjectMemo: (edit: TextEdit) => void;
  readonly renameProject: (name: string) => void;

  readonly recodeSegment: (segment: string, code: string) => void;
  readonly markImportant: (segment: string, important: boolean) => void;
  readonly setAttributeValue: (input: Cases.SetAttributeValueInput) => void;
  readonly linkSource: (caseId: string, source: string) => void;
  readonly unlinkSource: (caseId: string, source: string) => void;
  readonly mergeCodes: (from: string, into: string) => void;
  readonly resolveConflict: (conflict: string) => void;

  /** Runs `fn` (which calls these commands) as one transaction: all or nothing; returns what `fn` returns. */
  readonly batch: <T>(fn: (commands: Commands) => T) => T;

  /** Writes the compensating op(s) of one op (docs/spec/undo.md). */
  readonly undo: (opId: string, options?: Undo.UndoOptions) => Undo.UndoResult;
  /** Undoes this researcher's last `n` edits, newest first, all or nothing. */
  readonly undoLast: (n: number, options?: Undo.UndoOptions) => Undo.UndoResult;
}

export function makeCommands(ctx: CommandContext, run: <T>(fn: () => T) => T): Commands {
  // Inside `batch` a command runs in the batch's transaction with no
  // savepoint of its own (a savepoint copies every page the command touches
  // into SQLite's statement journal), nor does its append. That keeps it all
  // or nothing: a command checks everything before its one `emit`, and an
  // append that fails after its first write makes `run` roll back the whole
  // batch (replica.ts). Undo writes in several steps, so it keeps its savepoint.
  let batchDepth = 0;
  const bind =
    <A extends ReadonlyArray<unknown>, R>(fn: (ctx: CommandContext, ...args: A) => R) =>
    (...args: A): R =>
      batchDepth > 0 ? fn(ctx, ...args) : run(() => fn(ctx, ...args));
  const bindSteps =
    <A extends ReadonlyArray<unknown>, R>(fn: (ctx: CommandContext, ...args: A) => R) =>
    (...args: A): R =>
      run(() => fn(ctx, ...args));
  const commands: Commands = {
    createCode: bind(Codes.createCode),
    createCategory: bind(Codes.createCategory),
    createFolder: bind(Folders.createFolder),
    importTextSource: bind(Sources.importTextSource),
    addMediaSource: bind(Sources.addMediaSource),
    codeSegment: bind(Segments.codeSegment),
    createCase: bind(Cases.createCase),
    createAttribute: bind(Cases.createAttribute),
    createJournal: bind(Journals.createJournal),
    rename: bind(Common.rename),
    recolour: bind(Codes.recolour),
    move: bind(Common.move),
    remove: bind(Common.deleteEntity),
    restore: bind(Common.restoreEntity),
    editSourceText: bind(Sources.editSourceText),
    editMemo: bind(Sources.editMemo),
    editJournal: bind(Journals.editJournal),
    editProjectMemo: bind(Journals.editProjectMemo),
    renameProject: bind(Journals.renameProject),
    recodeSegment: bind(Segments.recodeSegment),
    markImportant: bind(Segments.markImportant),
    setAttributeValue: bind(Cases.setAttributeValue),
    linkSource: bind(Cases.linkSource),
    unlinkSource: bind(Cases.unlinkSource),
    mergeCodes: bind(Merge.mergeCodes),
    resolveConflict: bind(Merge.resolveConflict),
    // One transaction, one change notification (after its commit); a throw out of `fn` rolls back all of it.
    batch: (fn) =>
      run(() => {
        batchDepth++;
        try {
          return fn(commands);
        } finally {
          batchDepth--;
        }
      }),
    undo: bindSteps(Undo.undo),
    undoLast: bindSteps(Undo.undoLast),
  };
  return commands;
}

export { CommandError, type CommandErrorReason } from "./errors.js";
export type { TextEdit } from "./text-edit.js";
export type { CodeSegmentInput } from "./segments.js";
export type { CreateCodeInput } from "./codes-and-categories.js";
export type { ImportTextSourceInput, AddMediaSourceInput } from "./sources-and-text.js";
export type { CreateAttributeInput, SetAttributeValueInput } from "./cases-and-attributes.js";
export type { CreateFolderInput } from "./folders.js";
export type { UndoOptions, UndoResult } from "./undo/undo.js";
