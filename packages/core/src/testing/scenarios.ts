/**
 * fast-check arbitraries for simulated multi-replica histories
 * (simulation.ts), shared by the property tests and the regression cases.
 */
import fc from "fast-check";
import type { Op } from "../op/op.js";
import { ACTION_COUNT, REPLICA_COUNT, runScript } from "./simulation.js";
import type { Replica, Step } from "./simulation.js";

export interface Scenario {
  readonly steps: ReadonlyArray<Step>;
  /** Per-replica clock skew (ms): a lagging replica's ops arrive "late" elsewhere. */
  readonly skews: ReadonlyArray<number>;
  /** Seeds the random arrival orders. */
  readonly seed: number;
}

export const stepArb: fc.Arbitrary<Step> = fc.record({
  replica: fc.nat(REPLICA_COUNT - 1),
  action: fc.nat(ACTION_COUNT - 1),
  a: fc.nat(40),
  b: fc.nat(40),
  c: fc.nat(40),
});

export const scenarioArb: fc.Arbitrary<Scenario> = fc.record({
  steps: fc.array(stepArb, { minLength: 4, maxLength: 28, size: "max" }),
  skews: fc.array(fc.integer({ min: -25, max: 25 }), { minLength: REPLICA_COUNT, maxLength: REPLICA_COUNT }),
  seed: fc.integer(),
});

/** Runs the scenario's script and hands over its replicas and ops; closes the dbs afterwards. */
export function withScript<T>(s: Scenario, f: (replicas: Array<Replica>, ops: Array<Op>) => T): T {
  const { replicas, ops } = runScript(s.steps, s.skews);
  try {
    return f(replicas, ops);
  } finally {
    for (const r of replicas) r.db.close();
  }
}
