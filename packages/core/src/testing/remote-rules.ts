/**
 * The server-side rules every test remote applies to a push (the same ones
 * the Convex `ops:push` function enforces, docs/design.md §6): the op belongs to
 * the stream's project, the member may write it, its HLC is not too far
 * ahead of the server clock; its replica id is not another member's; and its
 * content hash, which decides whether a known id is a duplicate (acked) or a
 * reuse (the whole batch is refused).
 */
import { hashOp } from "../op/canonical.js";
import type { Op } from "../op/op.js";
import type { Role } from "../op/server-codes.js";
import { checkPushedOp } from "../op/push-check.js";
import { RemoteError } from "../sync/remote-op-store.js";

export interface RemoteMember {
  readonly actor: string;
  readonly role: Role;
}

export interface PushRules {
  readonly project: string;
  /** When set, a pushed op whose HLC is more than this ahead of `now()` is refused ("clock-ahead"). */
  readonly maxAheadMs?: number | undefined;
  readonly now?: (() => number) | undefined;
}

/**
 * Throws the RemoteError the server would answer for `op`, if any: a viewer
 * is "forbidden"; the rest are the shared push rules (`checkPushedOp`, the
 * very code convex/lib/check.ts runs), so the test remotes and Convex refuse
 * the same ops with the same codes and messages.
 */
export function checkPushable(op: Op, member: RemoteMember | undefined, rules: PushRules, index = 0): void {
  if (member !== undefined && member.role === "viewer") {
    throw new RemoteError({ reason: "forbidden", message: "a viewer cannot push ops", retryable: false });
  }
  const serverTime = (rules.now ?? Date.now)();
  const checked = checkPushedOp(op, index, {
    project: rules.project,
    actor: member?.actor,
    nowMs: serverTime,
    // Without a bound the test remote accepts any clock.
    maxAheadMs: rules.maxAheadMs ?? Number.POSITIVE_INFINITY,
  });
  if (!checked.ok) {
    throw new RemoteError({
      reason: checked.code,
      message: checked.message,
      retryable: false,
      ...(checked.code === "clock-ahead" ? { cause: { serverTime } } : {}),
    });
  }
}

/**
 * Refuses the batch ("replica-claimed") if one of its replica ids belongs to
 * another actor in `owners` (replica id → actor), as convex/lib/replicas.ts
 * does; else binds the unbound ones to `actor`. Call it last, once every
 * other check passed, so that a refused batch binds nothing.
 */
export function claimReplicas(ops: ReadonlyArray<Op>, actor: string, owners: Map<string, string>): void {
  for (const op of ops) {
    const owner = owners.get(op.replica);
    if (owner !== undefined && owner !== actor) {
      throw new RemoteError({
        reason: "replica-claimed",
        message: `op ${op.id} carries replica id ${op.replica}, which belongs to another member`,
        retryable: false,
      });
    }
  }
  for (const op of ops) if (!owners.has(op.replica)) owners.set(op.replica, actor);
}

/** The op's content hash; an op that cannot be encoded is refused as invalid. */
export function hashOrRefuse(op: Op): string {
  try {
    return hashOp(op);
  } catch (cause) {
    throw new RemoteError({ reason: "invalid-op", message: `op ${op.id} cannot be encoded`, retryable: false, cause });
  }
}

/**
 * Which ops of a batch are new, given the hashes already stored. Refuses the
 * whole batch ("id-reused") if any id is stored (or repeated in the batch)
 * with other content. Duplicates inside the batch are stored once.
 */
export function freshOps(
  ops: ReadonlyArray<Op>,
  storedHash: (id: string) => string | undefined,
): ReadonlyArray<{ readonly op: Op; readonly hash: string }> {
  const fresh = new Map<string, { op: Op; hash: string }>();
  for (const op of ops) {
    const hash = hashOrRefuse(op);
    const known = storedHash(op.id) ?? fresh.get(op.id)?.hash;
    if (known !== undefined && known !== hash) {
      throw new RemoteError({ reason: "id-reused", message: `op ${op.id} is already stored with different content`, retryable: false });
    }
    if (known === undefined) fresh.set(op.id, { op, hash });
  }
  return [...fresh.values()];
}

/** Every distinct id of the batch, in order: what a successful push acks. */
export function ackedIds(ops: ReadonlyArray<Op>): ReadonlyArray<string> {
  return [...new Set(ops.map((op) => op.id))];
}
