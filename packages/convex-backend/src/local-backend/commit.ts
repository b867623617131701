/**
 * Running a mutation: in the serial queue, give a successful one a fresh
 * commit timestamp, then bring every live subscription up to that timestamp
 * (re-run its queries, send a Transition). Shared by HTTP and sync sockets.
 */
import type { JSONValue } from "convex/values";
import type { BackendState } from "./backend-state.js";
import type { UdfOutcome } from "./wire.js";

export interface Committed {
  readonly outcome: UdfOutcome;
  /** Commit timestamp; undefined when the mutation failed (nothing written). */
  readonly ts: bigint | undefined;
}

/**
 * Must be called inside `state.queue.run`. `beforeBroadcast` runs after the
 * commit and before any Transition reflecting it (the socket sends its
 * MutationResponse there: the client needs the response first).
 */
export async function commitMutation(
  state: BackendState,
  udfPath: string,
  args: ReadonlyArray<JSONValue>,
  beforeBroadcast: (committed: Committed) => void = () => undefined,
): Promise<Committed> {
  const outcome = await state.run("mutation", udfPath, args);
  const committed: Committed = { outcome, ts: outcome.success ? state.nextTs() : undefined };
  beforeBroadcast(committed);
  if (committed.ts !== undefined) await broadcast(state, committed.ts);
  return committed;
}

/** Bring every subscriber to `ts`; identical queries run once. */
export async function broadcast(state: BackendState, ts: bigint): Promise<void> {
  const cache = new Map<string, UdfOutcome>();
  for (const subscriber of [...state.subscribers]) {
    await subscriber.refresh(ts, cache);
  }
}
