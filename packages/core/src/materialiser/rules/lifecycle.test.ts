/** The pure lifecycle and liveness decisions (rules/lifecycle.ts, rules/liveness.ts). */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyLifecycle, NO_LIFECYCLE } from "./lifecycle.js";
import { wins } from "./lww.js";
import type { LifecycleEvent } from "./lifecycle.js";
import { isBaseLive, isSegmentLive } from "./liveness.js";

const numRuns = Number(process.env["QC_PROPERTY_RUNS"] ?? 200);
const fold = (events: ReadonlyArray<LifecycleEvent>) => events.reduce(applyLifecycle, NO_LIFECYCLE);

describe("lifecycle register", () => {
  it("last writer wins by HLC: only a higher HLC replaces", () => {
    expect(wins("b", "a")).toBe(true);
    expect(wins("a", "b")).toBe(false);
    expect(wins("a", "a")).toBe(false);
    expect(wins("a", null)).toBe(true);
  });

  it("a delete after a create deletes; a restore or create with a higher HLC brings it back", () => {
    expect(
      fold([
        { kind: "create", hlc: "1" },
        { kind: "delete", hlc: "2" },
      ]),
    ).toEqual({ createHlc: "1", lifeHlc: "2", deleted: true });
    expect(
      fold([
        { kind: "delete", hlc: "2" },
        { kind: "create", hlc: "3" },
      ]),
    ).toEqual({ createHlc: "3", lifeHlc: "3", deleted: false });
    expect(
      fold([
        { kind: "create", hlc: "1" },
        { kind: "delete", hlc: "2" },
        { kind: "restore", hlc: "3" },
      ]).deleted,
    ).toBe(false);
  });

  it("a late create with a lower HLC becomes the first create but does not undo a later delete", () => {
    expect(
      fold([
        { kind: "create", hlc: "5" },
        { kind: "delete", hlc: "6" },
        { kind: "create", hlc: "1" },
      ]),
    ).toEqual({
      createHlc: "1",
      lifeHlc: "6",
      deleted: true,
    });
  });

  it("any arrival order gives the same register: the highest HLC's verdict, the lowest create", () => {
    const event = fc.record({
      kind: fc.constantFrom("create" as const, "delete" as const, "restore" as const),
      hlc: fc.string({ maxLength: 3 }),
    });
    const events = fc
      .uniqueArray(event, { selector: (e) => e.hlc, minLength: 1, maxLength: 8 })
      .chain((list) => fc.tuple(fc.constant(list), fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length })));
    fc.assert(
      fc.property(events, ([list, shuffled]) => {
        const last = [...list].sort((a, b) => (a.hlc < b.hlc ? 1 : -1))[0];
        const creates = list
          .filter((e) => e.kind === "create")
          .map((e) => e.hlc)
          .sort();
        const expected = { createHlc: creates[0] ?? null, lifeHlc: last?.hlc ?? null, deleted: last?.kind === "delete" };
        expect(fold(shuffled)).toEqual(expected);
        expect(fold(list)).toEqual(expected);
      }),
      { numRuns },
    );
  });
});

describe("liveness", () => {
  it("an entity is live when created, not deleted and (codes) not merged away", () => {
    expect(isBaseLive({ type: "category", created: true, deleted: false, mergedAway: false })).toBe(true);
    expect(isBaseLive({ type: "category", created: false, deleted: false, mergedAway: false })).toBe(false);
    expect(isBaseLive({ type: "code", created: true, deleted: true, mergedAway: false })).toBe(false);
    expect(isBaseLive({ type: "code", created: true, deleted: false, mergedAway: true })).toBe(false);
  });

  it("a segment is live only while not deleted, resolved, and its effective code and source are live", () => {
    const live = { deleted: false, resolved: true, effectiveCodeLive: true, sourceLive: true };
    expect(isSegmentLive(live)).toBe(true);
    for (const flip of ["deleted", "resolved", "effectiveCodeLive", "sourceLive"] as const) {
      expect(isSegmentLive({ ...live, [flip]: !live[flip] })).toBe(false);
    }
  });
});
