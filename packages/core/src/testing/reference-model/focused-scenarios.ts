/**
 * Simulated histories (simulation.ts) weighted towards the rules that the
 * general scenarios rarely reach: text edits under segments (collapsed
 * segments, `segment-text-removed`), writes of one register by replicas that
 * meet and part (`concurrent-edit`), merges of coded codes. Same steps and
 * clocks as `scenarioArb`, only the actions drawn differ.
 */
import fc from "fast-check";
import type { Scenario } from "../scenarios.js";
import { REPLICA_COUNT } from "../simulation.js";

/** Action numbers of simulation.ts's script. */
const ACTIONS = {
  createCode: 1,
  createSource: 2,
  editText: 7,
  deleteSomething: 9,
  mergeCodes: 12,
  createSegment: 13,
  resolve: 18,
  syncFromOther: 20,
  setCodeRegister: 24,
  everyoneMeets: 27,
} as const;

const focusedActions = [
  ACTIONS.createCode,
  ACTIONS.createSource,
  ACTIONS.editText,
  ACTIONS.editText,
  ACTIONS.editText,
  ACTIONS.createSegment,
  ACTIONS.createSegment,
  ACTIONS.setCodeRegister,
  ACTIONS.setCodeRegister,
  ACTIONS.everyoneMeets,
  ACTIONS.syncFromOther,
  ACTIONS.mergeCodes,
  ACTIONS.deleteSomething,
  ACTIONS.resolve,
];

export const focusedScenarioArb: fc.Arbitrary<Scenario> = fc.record({
  steps: fc.array(
    fc.record({
      replica: fc.nat(REPLICA_COUNT - 1),
      action: fc.constantFrom(...focusedActions),
      a: fc.nat(40),
      b: fc.nat(40),
      c: fc.nat(40),
    }),
    { minLength: 4, maxLength: 40, size: "max" },
  ),
  skews: fc.array(fc.integer({ min: -25, max: 25 }), { minLength: REPLICA_COUNT, maxLength: REPLICA_COUNT }),
  seed: fc.integer(),
});
