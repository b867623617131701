/**
 * What a command runs against: the replica's database (for validation reads
 * through the materialiser's helpers) and `emit`, which stamps op drafts with
 * fresh HLCs and appends them with their effects.
 *
 * A command runs inside one immediate transaction (see `runCommand`): its
 * reads and its writes see the same state, and when it throws nothing of it
 * is written.
 */
import type Database from "better-sqlite3";
import type { Clock } from "../hlc.js";
import type { EntityType, JsonValue, Op, OpKind } from "../op/op.js";

/** An op before stamping: what the command decides, not who/when. */
export interface OpDraft {
  readonly kind: OpKind;
  readonly target: { readonly type: EntityType; readonly id: string };
  readonly body: { readonly [k: string]: JsonValue };
  readonly prev?: ReadonlyArray<string>;
  /** Set on an undo's compensating op: the id of the op it undoes. */
  readonly undoes?: string;
}

export interface CommandContext {
  readonly db: Database.Database;
  readonly project: string;
  readonly replica: string;
  readonly actor: string;
  /** Stamps and appends drafts (in order); returns the ops written. */
  readonly emit: (drafts: ReadonlyArray<OpDraft>) => ReadonlyArray<Op>;
  readonly newId: () => string;
}

export interface StampContext {
  readonly project: string;
  readonly replica: string;
  readonly actor: string;
  readonly clock: Clock;
}

export function stampOp(ctx: StampContext, draft: OpDraft): Op {
  const hlc = ctx.clock.tick();
  const op = {
    v: 1,
    id: hlc,
    project: ctx.project,
    replica: ctx.replica,
    actor: ctx.actor,
    hlc,
    kind: draft.kind,
    target: { type: draft.target.type, id: draft.target.id },
    body: draft.body,
    ...(draft.prev === undefined ? {} : { prev: [...draft.prev] }),
    ...(draft.undoes === undefined ? {} : { undoes: draft.undoes }),
  };
  // The decoder (run on every local op before it is written) is the real check of the body shape.
  return op as unknown as Op;
}
