/**
 * The server-side rules every test remote applies to a push (the same ones
 * the Convex `ops:push` function enforces, DESIGN.md §6): the op belongs to
 * the stream's project, the member may write it, its HLC is not too far
 * ahead of the server clock; and its content hash, which decides whether a
 * known id is a duplicate (acked) or a reuse (the whole batch is refused).
 */
import { bodyBytes, hashOp } from "../op/canonical.js";
import { MAX_BODY_BYTES, type Op } from "../op/op.js";
import { classifyOp } from "../op/op-schema.js";
import { RemoteError } from "../sync/remote-op-store.js";

export interface RemoteMember {
  readonly actor: string;
  readonly role: "owner" | "editor" | "viewer";
}

export interface PushRules {
  readonly project: string;
  /** When set, a pushed op whose HLC is more than this ahead of `now()` is refused ("clock-ahead"). */
  readonly maxAheadMs?: number | undefined;
  readonly now?: (() => number) | undefined;
}

/**
 * Throws the RemoteError the server would answer for `op`, if any (as
 * convex/lib/check.ts does): a viewer is "forbidden"; an op the decoder
 * refuses, a body over the limit, another project or another actor than the
 * token's is "invalid-op"; future ops (newer `v`, unknown kind) with a
 * readable envelope are accepted as opaque.
 */
export function checkPushable(op: Op, member: RemoteMember | undefined, rules: PushRules): void {
  if (member !== undefined && member.role === "viewer") {
    throw new RemoteError("forbidden", "a viewer cannot push ops", false);
  }
  const classified = classifyOp(op);
  if (classified._tag === "invalid") throw new RemoteError("invalid-op", classified.error.message, false);
  if (typeof op.id !== "string" || typeof op.hlc !== "string" || typeof op.actor !== "string") {
    throw new RemoteError("invalid-op", "an op without a readable envelope (id, hlc, actor)", false);
  }
  if (op.body !== undefined && bodyBytes(op) > MAX_BODY_BYTES) {
    throw new RemoteError("invalid-op", `op ${op.id} has a body over ${MAX_BODY_BYTES} bytes`, false);
  }
  if (op.project !== rules.project) {
    throw new RemoteError("invalid-op", `op ${op.id} is for project ${op.project}, not ${rules.project}`, false);
  }
  if (member !== undefined && op.actor !== member.actor) {
    throw new RemoteError("invalid-op", `op ${op.id} names actor ${op.actor}, but the token belongs to ${member.actor}`, false);
  }
  if (rules.maxAheadMs !== undefined) {
    const serverTime = (rules.now ?? Date.now)();
    const opTime = Date.parse(op.hlc.slice(0, 24));
    if (opTime > serverTime + rules.maxAheadMs) {
      throw new RemoteError("clock-ahead", `op ${op.id} is ${opTime - serverTime} ms ahead of the server clock`, false, {
        cause: { serverTime },
      });
    }
  }
}

/** The op's content hash; an op that cannot be encoded is refused as invalid. */
export function hashOrRefuse(op: Op): string {
  try {
    return hashOp(op);
  } catch (cause) {
    throw new RemoteError("invalid-op", `op ${op.id} cannot be encoded`, false, { cause });
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
      throw new RemoteError("id-reused", `op ${op.id} is already stored with different content`, false);
    }
    if (known === undefined) fresh.set(op.id, { op, hash });
  }
  return [...fresh.values()];
}

/** Every distinct id of the batch, in order: what a successful push acks. */
export function ackedIds(ops: ReadonlyArray<Op>): ReadonlyArray<string> {
  return [...new Set(ops.map((op) => op.id))];
}
