/**
 * Settling a reported conflict from an inbox: the researcher keeps one of
 * the competing values, or types another, and the conflict is resolved in
 * the same transaction (both ops, or neither). Only register conflicts
 * (concurrent-edit) carry values; the others are acknowledged as they are.
 */
import { CommandError, type Commands, type Conflict, type JsonValue, type Replica } from "@qc/core";

export interface ConflictWrite {
  readonly op: string;
  readonly actor: string;
  readonly value: JsonValue;
}

/** The competing writes of a concurrent-edit conflict (empty for other kinds). */
export function conflictWrites(conflict: Conflict): ReadonlyArray<ConflictWrite> {
  const writes = (conflict.detail as { writes?: unknown } | null)?.writes;
  return conflict.kind === "concurrent-edit" && Array.isArray(writes) ? (writes as ReadonlyArray<ConflictWrite>) : [];
}

/** Writes `value` (when given and different from the current one) to the conflict's field, then resolves it. */
export function settleConflict(replica: Replica, conflictId: string, value?: JsonValue): void {
  const conflict = replica.read.conflicts().find((c) => c.id === conflictId);
  if (conflict === undefined)
    throw new CommandError({
      reason: "not-found",
      message: `no open conflict ${conflictId}: it may be resolved already (by you or a colleague); reload the inbox`,
    });
  const field = (conflict.detail as { field?: string } | null)?.field;
  replica.commands.batch((commands) => {
    if (value !== undefined && field !== undefined && replica.read.entity(conflict.type, conflict.entity)?.fields[field] !== value) {
      writeField(commands, conflict, field, value);
    }
    commands.resolveConflict(conflictId);
  });
}

function writeField(commands: Commands, conflict: Conflict, field: string, value: JsonValue): void {
  const { type, entity } = conflict;
  if (field === "name" && type !== "segment" && typeof value === "string") return commands.rename(type, entity, value);
  if (field === "color" && (type === "code" || type === "category") && typeof value === "string")
    return commands.recolour(type, entity, value);
  if (field === "code" && type === "segment" && typeof value === "string") return commands.recodeSegment(entity, value);
  if (field === "important" && type === "segment" && typeof value === "boolean") return commands.markImportant(entity, value);
  throw new CommandError({
    reason: "invalid-value",
    message: `the ${field} of a ${type} cannot be set from the inbox; change it in its own panel, then resolve`,
  });
}
