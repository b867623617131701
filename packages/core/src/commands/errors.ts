/**
 * The one error type of researcher commands. A command validates its input
 * against the current state before writing; on a `CommandError` nothing was
 * written. The message says what was wrong and what to do instead.
 */
import * as Data from "effect/Data";

export type CommandErrorReason =
  | "not-found" // no such entity (or not of the expected type)
  | "not-live" // the entity is deleted (or merged away)
  | "already-live" // restore of an entity that is not deleted
  | "would-create-cycle" // a move or merge that would close a loop
  | "out-of-range" // a text index outside the current text
  | "invalid-color" // not #RRGGBB
  | "invalid-name" // empty, padded or too long
  | "invalid-value" // an attribute value or other field of the wrong shape
  | "not-linked" // unlink of a case and source that are not linked
  | "superseded" // undo of an op that later ops already overwrote (allowed with force)
  | "already-undone" // undo of an op whose undo stands (undo that undo to redo it)
  | "not-undoable"; // undo of an op that changed nothing, or of a kind that cannot be taken back

export class CommandError extends Data.TaggedError("CommandError")<{
  readonly reason: CommandErrorReason;
  readonly message: string;
}> {}

export function fail(reason: CommandErrorReason, message: string): never {
  throw new CommandError({ reason, message });
}
