/**
 * Counterexamples the convergence property found, kept as regression cases
 * (fast-check runs them first, before the random ones). Add a case as
 * fast-check printed it, with a line on what it caught. The scenario shape
 * lives here so that the property file imports it, not the other way round.
 */
export type Step =
  | { readonly kind: "edit"; readonly who: number; readonly pick: number; readonly what: number; readonly burst: number }
  | { readonly kind: "partition" | "heal" | "restart" | "toggle"; readonly who: number }
  | { readonly kind: "inject-bad"; readonly pick: number }
  | { readonly kind: "wait"; readonly ms: number };

export interface Scenario {
  readonly researchers: number;
  readonly faultSeed: number;
  readonly skewsMs: ReadonlyArray<number>;
  readonly rates: { dropRequest: number; dropResponse: number; timeout: number; duplicateHead: number; reorderHead: number };
  readonly steps: ReadonlyArray<Step>;
}

const calm = { dropRequest: 0, dropResponse: 0, timeout: 0, duplicateHead: 0, reorderHead: 0 };

export const regressions: ReadonlyArray<Scenario> = [
  // Found 2026-11-25: concurrent memo inserts by two replicas whose ids share
  // their first 8 hex digits lost one insert in the materialised text
  // (Yjs client ids are taken from those digits). The sim now gives each
  // researcher distinct leading digits; this keeps concurrent text edits in.
  {
    researchers: 3,
    faultSeed: 1,
    skewsMs: [0, 0, 0, 0, 0, 0],
    rates: calm,
    steps: [
      { kind: "edit", who: 0, pick: 1, what: 0, burst: 1 },
      { kind: "wait", ms: 20 },
      { kind: "edit", who: 1, pick: 1, what: 7, burst: 1 },
      { kind: "edit", who: 2, pick: 1, what: 7, burst: 1 },
      { kind: "edit", who: 0, pick: 1, what: 7, burst: 1 },
    ],
  },
  // Shape of the first failing run (seed 313056393): heavy request drops and
  // timeouts, skewed clocks, an injected bad op first, then a restart.
  {
    researchers: 4,
    faultSeed: 2147483639,
    skewsMs: [-13, -77054, -139990, -103672, 42741, -112193],
    rates: { dropRequest: 0.28, dropResponse: 0.04, timeout: 0.08, duplicateHead: 0, reorderHead: 0.04 },
    steps: [
      { kind: "inject-bad", pick: 1 },
      { kind: "edit", who: 3, pick: 49, what: 3, burst: 2 },
      { kind: "edit", who: 2, pick: 442, what: 1, burst: 4 },
      { kind: "edit", who: 2, pick: 924, what: 3, burst: 4 },
      { kind: "edit", who: 0, pick: 55, what: 1, burst: 4 },
      { kind: "restart", who: 2 },
      { kind: "edit", who: 1, pick: 614, what: 7, burst: 4 },
      { kind: "partition", who: 1 },
      { kind: "edit", who: 1, pick: 17, what: 0, burst: 3 },
      { kind: "wait", ms: 15 },
      { kind: "edit", who: 3, pick: 5, what: 7, burst: 3 },
    ],
  },
];
