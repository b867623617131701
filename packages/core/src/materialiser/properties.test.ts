/**
 * Property tests of docs/design.md §4's invariants over random multi-replica
 * histories (simulation.ts). Runs: QC_PROPERTY_RUNS (default 200). On a
 * failure fast-check prints the seed and path; replay it with
 * `{ seed, path }` and keep the counterexample in regressions.test.ts.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Op } from "../op/op.js";
import { canonicalState, rebuild } from "./index.js";
import { assertLiveSegmentsSound, assertTreesAcyclic, randomArrival, referenceState, stateAfter } from "../testing/invariants.js";
import { deliver } from "../testing/simulation.js";
import type { Replica } from "../testing/simulation.js";
import { scenarioArb, withScript } from "../testing/scenarios.js";
import type { Scenario } from "../testing/scenarios.js";
import { byHlc } from "../testing/materialiser-db.js";

const numRuns = Number(process.env["QC_PROPERTY_RUNS"] ?? 200);
/** Generous: the machine is shared; a campaign with many runs must not hit vitest's default. */
const timeout = Math.max(120_000, numRuns * 1_000);

/** Runs a property asynchronously, yielding between runs so the test worker stays responsive. */
async function check<T extends Array<unknown>>(arbs: { [K in keyof T]: fc.Arbitrary<T[K]> }, body: (...args: T) => void): Promise<void> {
  const property = fc.asyncProperty(...(arbs as unknown as [fc.Arbitrary<T[0]>]), async (...args: unknown[]) => {
    await new Promise((resolve) => setImmediate(resolve));
    body(...(args as T));
  });
  await fc.assert(property, { numRuns, verbose: 1 });
}

function syncAll(replicas: ReadonlyArray<Replica>): void {
  for (let round = 0; round < 2; round++) {
    for (const to of replicas) for (const from of replicas) if (from !== to) deliver(from, to);
  }
}

describe("materialiser invariants (property tests)", () => {
  it(
    "replicas that hold the same ops have the same state under any permutation, duplication and batching of arrival",
    async () => {
      await check<[Scenario]>([scenarioArb], (s) =>
        withScript(s, (replicas, ops) => {
          const reference = referenceState(ops);
          expect(stateAfter(randomArrival(ops, s.seed))).toBe(reference);
          // Newest first, one at a time: every op after the first arrives late.
          expect(
            stateAfter(
              [...ops]
                .sort(byHlc)
                .reverse()
                .map((op) => [op]),
            ),
          ).toBe(reference);
          syncAll(replicas);
          for (const r of replicas) expect(canonicalState(r.db)).toBe(reference);
        }),
      );
    },
    timeout,
  );

  it(
    "incremental apply equals rebuild from scratch",
    async () => {
      await check<[Scenario]>([scenarioArb], (s) =>
        withScript(s, (replicas) => {
          for (const r of replicas) {
            const incremental = canonicalState(r.db);
            rebuild(r.db);
            expect(canonicalState(r.db)).toBe(incremental);
          }
        }),
      );
    },
    timeout,
  );

  it(
    "trees are acyclic and effective parents are live ancestors, on every replica before and after sync",
    async () => {
      await check<[Scenario]>([scenarioArb], (s) =>
        withScript(s, (replicas) => {
          for (const r of replicas) assertTreesAcyclic(r.db);
          syncAll(replicas);
          for (const r of replicas) assertTreesAcyclic(r.db);
        }),
      );
    },
    timeout,
  );

  it(
    "every live segment points at a live code and a live source and lies within the source text",
    async () => {
      await check<[Scenario]>([scenarioArb], (s) =>
        withScript(s, (replicas) => {
          for (const r of replicas) assertLiveSegmentsSound(r.db);
          syncAll(replicas);
          for (const r of replicas) assertLiveSegmentsSound(r.db);
        }),
      );
    },
    timeout,
  );

  it(
    "the state after the k-th op in HLC order equals a replay of the first k ops",
    async () => {
      await check<[Scenario, Array<number>]>([scenarioArb, fc.array(fc.nat(), { minLength: 1, maxLength: 3 })], (s, picks) =>
        withScript(s, (_replicas, ops) => {
          const sorted = [...ops].sort(byHlc);
          for (const k of new Set(picks.map((p) => p % (sorted.length + 1)))) {
            const prefix: Array<Op> = sorted.slice(0, k);
            // One by one in HLC order (the live path) vs. a random arrival of the same prefix.
            expect(stateAfter(prefix.map((op) => [op]))).toBe(stateAfter(randomArrival(prefix, s.seed + k)));
          }
        }),
      );
    },
    timeout,
  );
});
