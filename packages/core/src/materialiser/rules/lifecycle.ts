/**
 * The lifecycle register as a pure decision (docs/spec/merge-rules.md rule 3):
 * create and restore write "live", delete writes "deleted", the highest HLC
 * wins; `createHlc` is the lowest HLC of the entity's creates (null: never
 * created). Whatever order the events arrive in, the result is the same.
 */
import { wins } from "./lww.js";

export interface Lifecycle {
  /** Lowest HLC of the entity's creates; null when never created. */
  readonly createHlc: string | null;
  /** HLC of the winning create/delete/restore; null when none yet. */
  readonly lifeHlc: string | null;
  readonly deleted: boolean;
}

export type LifecycleEvent =
  { readonly kind: "create"; readonly hlc: string } | { readonly kind: "delete" | "restore"; readonly hlc: string };

export const NO_LIFECYCLE: Lifecycle = { createHlc: null, lifeHlc: null, deleted: false };

export function applyLifecycle(state: Lifecycle, event: LifecycleEvent): Lifecycle {
  const createHlc = event.kind === "create" && (state.createHlc === null || event.hlc < state.createHlc) ? event.hlc : state.createHlc;
  if (!wins(event.hlc, state.lifeHlc)) return createHlc === state.createHlc ? state : { ...state, createHlc };
  return { createHlc, lifeHlc: event.hlc, deleted: event.kind === "delete" };
}
