/** The edit-latency benchmark runs end to end on a few edits (its figures are printed, never checked). */
import { describe, expect, it } from "vitest";
import { benchEditLatency } from "../../bench/edit-latency.js";

describe("edit-latency benchmark", () => {
  it("measures every edit on both targets and reports a ratio", async () => {
    const result = await benchEditLatency({ edits: 5 });
    for (const stats of [result.convex, result.memory]) {
      expect(stats.edits).toBe(5);
      expect(stats.p50Ms).toBeGreaterThan(0);
      expect(stats.p99Ms).toBeGreaterThanOrEqual(stats.p50Ms);
    }
    expect(Number.isFinite(result.ratio.p50)).toBe(true);
  });
});
