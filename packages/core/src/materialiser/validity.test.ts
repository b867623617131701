import * as Either from "effect/Either";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeOp } from "../op/op-schema.js";
import { scenarioArb, withScript } from "../testing/scenarios.js";

describe("the simulation used by the property tests", () => {
  it("only makes valid v1 ops", () => {
    for (const s of fc.sample(scenarioArb, { numRuns: 20, seed: 7 })) {
      withScript(s, (_replicas, ops) => {
        for (const op of ops) {
          const decoded = decodeOp(JSON.parse(JSON.stringify(op)));
          if (Either.isLeft(decoded)) expect.fail(`${decoded.left.message}\n${JSON.stringify(op)}`);
        }
      });
    }
  });
});
