/**
 * What the sync engine knows at a moment (`SyncFacts`), and every change to
 * it as a pure transition `updateFacts(facts, event)`; `deriveStatus`
 * (status.ts) turns facts into what the researcher sees. The engine's fibers
 * never write a field: they report an event to their `FactsRef`, which
 * replaces the facts with the transition's result.
 *
 * Invariants: `knownHead` never decreases; a new session forgets the
 * previous one's connection, identity, catch-up, transient failure and push
 * refusal (it pushes again), but not a fatal error, which only enable,
 * configure and switchStream clear.
 */
import type { SyncError } from "./errors.js";
import type { ConnectionState } from "./remote-op-store.js";

export interface SyncFacts {
  readonly enabled: boolean;
  readonly configured: boolean;
  /** The last fatal error; cleared by enable / configure / switchStream. */
  readonly fatal: SyncError | undefined;
  /** The push refusal that stopped pushing (pulls go on); cleared when a session starts. */
  readonly pushRefused: SyncError | undefined;
  /** The last transient failure; cleared by the next successful remote call. */
  readonly transient: SyncError | undefined;
  /** Undefined until the remote reports a connection state. */
  readonly connection: ConnectionState | undefined;
  /** True once the remote's identity was checked in the current session. */
  readonly identified: boolean;
  /** Highest server head seen (push results, pulls, head notifications). */
  readonly knownHead: number;
  /** True once a pull reached the head in the current session. */
  readonly caughtUp: boolean;
}

export type FactsEvent =
  /** enable(): sync wanted again; a fatal error is forgotten (the new session tries again). */
  | { readonly type: "enabled" }
  | { readonly type: "disabled" }
  /** configure() or switchStream(): a fatal error is forgotten. */
  | { readonly type: "fatal-cleared" }
  | { readonly type: "session-starting"; readonly configured: boolean }
  /** Sync stops until the researcher acts (not configured, a refused token, another stream, a defect). */
  | { readonly type: "failed"; readonly error: SyncError }
  | { readonly type: "identified" }
  | { readonly type: "connection"; readonly state: ConnectionState }
  | { readonly type: "remote-failed"; readonly error: SyncError }
  | { readonly type: "remote-succeeded" }
  | { readonly type: "head-seen"; readonly head: number }
  | { readonly type: "caught-up" }
  | { readonly type: "push-refused"; readonly error: SyncError };

export function initialFacts(enabled: boolean, configured: boolean): SyncFacts {
  return {
    enabled,
    configured,
    fatal: undefined,
    pushRefused: undefined,
    transient: undefined,
    connection: undefined,
    identified: false,
    knownHead: 0,
    caughtUp: false,
  };
}

/** The facts after `event`; the same object when nothing changed. */
export function updateFacts(facts: SyncFacts, event: FactsEvent): SyncFacts {
  switch (event.type) {
    case "enabled":
      return { ...facts, enabled: true, fatal: undefined };
    case "disabled":
      return facts.enabled ? { ...facts, enabled: false } : facts;
    case "fatal-cleared":
      return facts.fatal === undefined ? facts : { ...facts, fatal: undefined };
    case "session-starting":
      return {
        ...facts,
        configured: event.configured,
        identified: false,
        caughtUp: false,
        connection: undefined,
        transient: undefined,
        pushRefused: undefined,
      };
    case "failed":
      return { ...facts, fatal: event.error };
    case "identified":
      return facts.identified ? facts : { ...facts, identified: true };
    case "connection":
      return facts.connection === event.state ? facts : { ...facts, connection: event.state };
    case "remote-failed":
      return { ...facts, transient: event.error };
    case "remote-succeeded":
      return facts.transient === undefined ? facts : { ...facts, transient: undefined };
    case "head-seen":
      return event.head > facts.knownHead ? { ...facts, knownHead: event.head } : facts;
    case "caught-up":
      return facts.caughtUp ? facts : { ...facts, caughtUp: true };
    case "push-refused":
      return { ...facts, pushRefused: event.error };
  }
}

/** The engine's current facts; `update` applies one event (synchronously, from any callback). */
export interface FactsRef {
  readonly get: () => SyncFacts;
  /** Applies the event; returns whether the facts changed. */
  readonly update: (event: FactsEvent) => boolean;
}

export function makeFactsRef(initial: SyncFacts): FactsRef {
  let facts = initial;
  return {
    get: () => facts,
    update: (event) => {
      const next = updateFacts(facts, event);
      const changed = next !== facts;
      facts = next;
      return changed;
    },
  };
}
