/**
 * Sync status (docs/design.md §6): what the researcher sees, derived by a pure
 * function from the facts the engine keeps (facts.ts, `updateFacts`).
 *
 * `offline` is only ever transient (the engine keeps retrying); `error` needs
 * the researcher (its message says what to do) until they act (enable,
 * configure or switchStream start a new session, which tries again).
 *
 * Most errors stop sync entirely. A push the server refuses for good (the
 * researcher's role, an op it finds invalid or reused, a clock ahead) stops
 * only pushing: the status is `error` with that reason, since the push problem
 * is what the researcher must act on, but pulls go on, so remote edits keep
 * arriving by the head subscription and `toPull` is not shown meanwhile. A
 * refused token or another stream stop everything: the stream cannot be read.
 */
import type { SyncErrorReason } from "./errors.js";
import type { SyncFacts } from "./facts.js";

export type SyncStatus =
  | { readonly state: "disabled" }
  | { readonly state: "offline"; readonly message: string }
  | { readonly state: "connecting" }
  | { readonly state: "syncing"; readonly toPush: number; readonly toPull: number }
  | { readonly state: "synced"; readonly at: Date }
  | { readonly state: "error"; readonly reason: SyncErrorReason; readonly message: string };

/**
 * The status for `facts`, given the replica's backlog and cursor. `previous`
 * keeps the `at` of an ongoing `synced` so that it says since when.
 */
export function deriveStatus(
  facts: SyncFacts,
  local: { readonly toPush: number; readonly cursor: number },
  previous: SyncStatus,
  now: () => Date,
): SyncStatus {
  if (!facts.enabled) return { state: "disabled" };
  const error = facts.fatal ?? facts.pushRefused;
  if (error !== undefined) return { state: "error", reason: error.reason, message: error.message };
  if (!facts.configured) return { state: "offline", message: "no sync server is configured" };
  if (facts.connection === "disconnected") {
    return { state: "offline", message: "the connection to the sync server is down; edits are kept on this computer" };
  }
  if (facts.transient?.reason === "unreachable") return { state: "offline", message: facts.transient.message };
  if (!facts.identified || facts.connection === "connecting") return { state: "connecting" };
  const toPull = Math.max(0, facts.knownHead - local.cursor);
  if (local.toPush === 0 && toPull === 0 && facts.caughtUp) {
    return previous.state === "synced" ? previous : { state: "synced", at: now() };
  }
  return { state: "syncing", toPush: local.toPush, toPull };
}

/** Equal for the purpose of publishing (a `synced` keeps its first `at`). */
export function sameStatus(a: SyncStatus, b: SyncStatus): boolean {
  if (a.state !== b.state) return false;
  switch (a.state) {
    case "syncing": {
      const o = b as typeof a;
      return a.toPush === o.toPush && a.toPull === o.toPull;
    }
    case "synced":
      return a.at === (b as typeof a).at;
    case "offline":
      return a.message === (b as typeof a).message;
    case "error": {
      const o = b as typeof a;
      return a.reason === o.reason && a.message === o.message;
    }
    default:
      return true;
  }
}
