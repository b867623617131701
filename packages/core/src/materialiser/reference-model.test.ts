/**
 * The materialiser against the independent reference model
 * (testing/reference-model/): for random multi-replica histories
 * (simulation.ts), a replica that received every op — late ones included,
 * through the incremental path — shows exactly the facts the model derives
 * from the op set: live entities, fields, texts, effective parents, alias
 * chains, segment ranges, links and conflicts with their kinds, details and
 * resolved flags. Runs: QC_PROPERTY_RUNS (default 200); fast-check prints
 * the seed and path of a failure.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { materialisedFacts, referenceFacts } from "../testing/reference-model/index.js";
import { scenarioArb, withScript } from "./scenarios.js";
import { deliver } from "./simulation.js";

const numRuns = Number(process.env["QC_PROPERTY_RUNS"] ?? 200);
const timeout = Math.max(120_000, numRuns * 1_000);

describe("materialiser against the reference model", () => {
  it("a replica holding every op shows the facts the reference model derives from the op set", async () => {
    const property = fc.asyncProperty(scenarioArb, async (s) => {
      await new Promise((resolve) => setImmediate(resolve));
      withScript(s, (replicas, ops) => {
        const [first, ...others] = replicas;
        if (first === undefined) throw new Error("the simulation has no replicas");
        for (const other of others) deliver(other, first);
        expect(materialisedFacts(first.db)).toEqual(referenceFacts(ops));
      });
    });
    await fc.assert(property, { numRuns });
  }, timeout);
});
