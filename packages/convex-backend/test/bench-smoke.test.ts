/** The push/pull benchmark runs end to end on a small N (numbers are not checked). */
import { describe, expect, it } from "vitest";
import { benchPushPull } from "../bench/push-pull.js";

describe("push/pull benchmark", () => {
  it("pushes and pulls every op through both targets and reports a ratio", async () => {
    const result = await benchPushPull({ ops: 120, batch: 50 });
    expect(result.localBackend.pushOpsPerSec).toBeGreaterThan(0);
    expect(result.convexTest.pullOpsPerSec).toBeGreaterThan(0);
    expect(Number.isFinite(result.ratio.pushOpsPerSec)).toBe(true);
  });
});
