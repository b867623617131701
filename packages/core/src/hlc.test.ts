import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ClockDriftError,
  DEFAULT_MAX_DRIFT_MS,
  HlcFormatError,
  HlcParseError,
  MAX_COUNTER,
  MAX_WALL_MS,
  checkDrift,
  compareHlc,
  formatHlc,
  isHlc,
  isoOfWallMs,
  makeClock,
  newReplicaId,
  parseHlc,
  wallMsOfIso,
} from "./hlc.js";
import type { Hlc, HlcParts } from "./hlc.js";

const numRuns = Number(process.env.QC_PROPERTY_RUNS ?? 200);
const A = "7f3a9c2e1b4d5a6c";
const B = "0000000000000001";
const T0 = Date.UTC(2026, 10, 25, 12);

const arbReplica = fc.stringMatching(/^[0-9a-f]{16}$/);
// Small ranges as well as the full one, so equal wall times and counters are common.
const arbWallMs = fc.oneof(fc.integer({ min: 0, max: MAX_WALL_MS }), fc.integer({ min: T0, max: T0 + 3 }));
const arbCounter = fc.oneof(fc.integer({ min: 0, max: MAX_COUNTER }), fc.integer({ min: 0, max: 2 }));
const arbParts = fc.record({ wallMs: arbWallMs, counter: arbCounter, replica: fc.oneof(arbReplica, fc.constantFrom(A, B)) });

function compareParts(a: HlcParts, b: HlcParts): -1 | 0 | 1 {
  if (a.wallMs !== b.wallMs) return a.wallMs < b.wallMs ? -1 : 1;
  if (a.counter !== b.counter) return a.counter < b.counter ? -1 : 1;
  return a.replica < b.replica ? -1 : a.replica > b.replica ? 1 : 0;
}

describe("formatHlc / parseHlc", () => {
  it("formats the documented example", () => {
    expect(formatHlc({ wallMs: T0, counter: 0, replica: A })).toBe("2026-11-25T12:00:00.000Z-0000-7f3a9c2e1b4d5a6c");
    expect(formatHlc({ wallMs: 0, counter: 0xab, replica: B })).toBe("1970-01-01T00:00:00.000Z-00ab-0000000000000001");
  });

  it("parses the documented example", () => {
    expect(parseHlc("2026-11-25T12:00:00.000Z-0000-7f3a9c2e1b4d5a6c")).toEqual({ wallMs: T0, counter: 0, replica: A });
    expect(parseHlc("2026-11-25T12:00:00.123Z-ffff-7f3a9c2e1b4d5a6c")).toEqual({
      wallMs: T0 + 123,
      counter: 0xffff,
      replica: A,
    });
  });

  it.each([
    ["no counter", "2026-11-25T12:00:00.000Z-7f3a9c2e1b4d5a6c"],
    ["upper-case hex", "2026-11-25T12:00:00.000Z-00AB-7f3a9c2e1b4d5a6c"],
    ["short replica", "2026-11-25T12:00:00.000Z-0000-7f3a9c2e1b4d5a6"],
    ["no milliseconds", "2026-11-25T12:00:00Z-0000-7f3a9c2e1b4d5a6c"],
    ["offset instead of Z", "2026-11-25T12:00:00.000+01:00-0000-7f3a9c2e1b4d5a6c"],
    ["impossible date", "2026-02-30T12:00:00.000Z-0000-7f3a9c2e1b4d5a6c"],
    ["hour 24", "2026-11-25T24:00:00.000Z-0000-7f3a9c2e1b4d5a6c"],
    ["trailing space", "2026-11-25T12:00:00.000Z-0000-7f3a9c2e1b4d5a6c "],
    ["empty", ""],
  ])("refuses %s with a readable HlcParseError", (_name, input) => {
    expect(isHlc(input)).toBe(false);
    expect(() => parseHlc(input)).toThrow(HlcParseError);
    try {
      parseHlc(input);
    } catch (e) {
      expect(e).toBeInstanceOf(HlcParseError);
      expect((e as HlcParseError)._tag).toBe("HlcParseError");
      expect((e as HlcParseError).message).toContain("not a valid HLC");
      expect((e as HlcParseError).input).toBe(input);
    }
  });

  it("explains an impossible date", () => {
    expect(() => parseHlc("2026-02-30T12:00:00.000Z-0000-7f3a9c2e1b4d5a6c")).toThrow(/not a real instant/);
  });

  it("refuses non-strings", () => {
    expect(isHlc(42)).toBe(false);
    expect(() => parseHlc(42)).toThrow(/expected a string, got number/);
  });

  it.each<[string, HlcParts]>([
    ["negative wall time", { wallMs: -1, counter: 0, replica: A }],
    ["fractional wall time", { wallMs: 1.5, counter: 0, replica: A }],
    ["wall time past year 9999", { wallMs: MAX_WALL_MS + 1, counter: 0, replica: A }],
    ["counter above 0xffff", { wallMs: 0, counter: 0x10000, replica: A }],
    ["negative counter", { wallMs: 0, counter: -1, replica: A }],
    ["upper-case replica", { wallMs: 0, counter: 0, replica: A.toUpperCase() }],
  ])("formatHlc refuses %s", (_name, parts) => {
    expect(() => formatHlc(parts)).toThrow(HlcFormatError);
  });

  it("round-trips every valid HLC (format then parse, parse then format)", () => {
    fc.assert(
      fc.property(arbParts, (parts) => {
        const hlc = formatHlc(parts);
        expect(isHlc(hlc)).toBe(true);
        expect(parseHlc(hlc)).toEqual(parts);
        expect(formatHlc(parseHlc(hlc))).toBe(hlc);
      }),
      { numRuns },
    );
  });
});

describe("isoOfWallMs / wallMsOfIso (the ISO part without Date's parse and format)", () => {
  // Days and times near the edges of months, leap days, midnight and the ends of the range.
  const arbEdgeMs = fc
    .tuple(
      fc.integer({ min: 1970, max: 9999 }),
      fc.integer({ min: 0, max: 11 }),
      fc.integer({ min: 27, max: 31 }),
      fc.constantFrom(0, 1, 999, 86_399_999),
    )
    .map(([y, m, d, inDay]) => Date.UTC(y, m, d) + inDay)
    .filter((ms) => ms <= MAX_WALL_MS);
  const arbMs = fc.oneof(arbWallMs, arbEdgeMs, fc.constantFrom(0, MAX_WALL_MS));

  it("writes what toISOString writes and reads it back, for every wall time", () => {
    fc.assert(
      fc.property(arbMs, (ms) => {
        const iso = new Date(ms).toISOString();
        expect(isoOfWallMs(ms)).toBe(iso);
        expect(wallMsOfIso(iso)).toBe(ms);
      }),
      { numRuns },
    );
  });

  it("reads text of the ISO shape exactly when Date.parse and the round trip agree on it", () => {
    const d = (n: number) => fc.integer({ min: 0, max: 10 ** n - 1 }).map((v) => String(v).padStart(n, "0"));
    const arbShaped = fc
      .tuple(d(4), d(2), d(2), d(2), d(2), d(2), d(3))
      .map(([y, mo, day, h, mi, s, ms]) => `${y}-${mo}-${day}T${h}:${mi}:${s}.${ms}Z`);
    const near = fc
      .tuple(
        fc.integer({ min: 1969, max: 2030 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        fc.integer({ min: 22, max: 25 }),
      )
      .map(([y, mo, day, h]) => `${y}-${String(mo).padStart(2, "0")}-${String(day).padStart(2, "0")}T${h}:59:59.999Z`);
    fc.assert(
      fc.property(
        fc.oneof(arbShaped, near, fc.constantFrom("2024-02-29T00:00:00.000Z", "2100-02-29T00:00:00.000Z", "2000-02-29T12:00:00.000Z")),
        (iso) => {
          const parsed = Date.parse(iso);
          const valid = Number.isFinite(parsed) && parsed >= 0 && new Date(parsed).toISOString() === iso;
          expect(wallMsOfIso(iso)).toBe(valid ? parsed : undefined);
        },
      ),
      { numRuns: numRuns * 5 },
    );
  });
});

describe("compareHlc", () => {
  it("orders by wall time, then counter, then replica", () => {
    const at = (wallMs: number, counter: number, replica: string) => formatHlc({ wallMs, counter, replica });
    expect(compareHlc(at(1, 9, B), at(2, 0, B))).toBe(-1);
    expect(compareHlc(at(2, 1, B), at(2, 0, A))).toBe(1);
    expect(compareHlc(at(2, 1, B), at(2, 1, A))).toBe(-1);
    expect(compareHlc(at(2, 1, A), at(2, 1, A))).toBe(0);
  });

  it("string order of HLCs equals the order of (wall ms, counter, replica)", () => {
    fc.assert(
      fc.property(arbParts, arbParts, (a, b) => {
        const ha = formatHlc(a);
        const hb = formatHlc(b);
        const expected = compareParts(a, b);
        expect(compareHlc(ha, hb)).toBe(expected);
        expect([ha, hb].sort()[0]).toBe(expected <= 0 ? ha : hb);
      }),
      { numRuns },
    );
  });
});

describe("checkDrift", () => {
  const remoteAt = (wallMs: number) => formatHlc({ wallMs, counter: 0, replica: B });

  it("accepts a remote exactly at the limit and refuses one 1 ms past it", () => {
    expect(checkDrift(remoteAt(T0 + DEFAULT_MAX_DRIFT_MS), T0, DEFAULT_MAX_DRIFT_MS)).toBeUndefined();
    const error = checkDrift(remoteAt(T0 + DEFAULT_MAX_DRIFT_MS + 1), T0, DEFAULT_MAX_DRIFT_MS);
    expect(error).toBeInstanceOf(ClockDriftError);
    expect(error?.aheadMs).toBe(DEFAULT_MAX_DRIFT_MS + 1);
  });

  it("never refuses a remote that is behind", () => {
    expect(checkDrift(remoteAt(0), T0, 0)).toBeUndefined();
  });

  it("says how far ahead the op is and what to check", () => {
    const remote = remoteAt(T0 + 7 * 60_000);
    const error = checkDrift(remote, T0, DEFAULT_MAX_DRIFT_MS);
    expect(error?._tag).toBe("ClockDriftError");
    expect(error?.remote).toBe(remote);
    expect(error?.localWallMs).toBe(T0);
    expect(error?.aheadMs).toBe(7 * 60_000);
    expect(error?.message).toContain("op clock is 7.0 minutes ahead of this machine; check the sender's clock");
    expect(error?.message).toContain("limit 5.0 minutes");
    expect(error?.message).toContain(remote);
    expect(checkDrift(remote, T0 + 6 * 60_000 + 30_000, 1000)?.message).toMatch(
      /^op clock is 30\.0 seconds ahead .* \(limit 1\.0 seconds;/,
    );
  });
});

describe("makeClock", () => {
  it("starts with no last HLC and ticks at now() with counter 0", () => {
    const clock = makeClock({ replica: A, now: () => T0 });
    expect(clock.last()).toBeUndefined();
    const first = clock.tick();
    expect(first).toBe(formatHlc({ wallMs: T0, counter: 0, replica: A }));
    expect(clock.last()).toBe(first);
  });

  it("counts up within one millisecond and resets when time moves on", () => {
    let now = T0;
    const clock = makeClock({ replica: A, now: () => now });
    clock.tick();
    expect(parseHlc(clock.tick()).counter).toBe(1);
    now = T0 + 5;
    expect(parseHlc(clock.tick())).toEqual({ wallMs: T0 + 5, counter: 0, replica: A });
  });

  it("formats every tick exactly as formatHlc, in the same millisecond as the last one and after observe and receive", () => {
    let now = T0;
    const clock = makeClock({ replica: A, now: () => now });
    const ticks = [clock.tick(), clock.tick()];
    clock.observe(formatHlc({ wallMs: T0 + 3, counter: 7, replica: "ffffffffffffffff" }));
    ticks.push(clock.tick());
    clock.receive(formatHlc({ wallMs: T0 + 3, counter: 9, replica: "0000000000000001" }));
    ticks.push(clock.tick());
    now = T0 + 4;
    ticks.push(clock.tick(), clock.tick());
    expect(ticks.map(parseHlc).map(formatHlc)).toEqual(ticks);
    expect(ticks.map(parseHlc).map((p) => [p.wallMs - T0, p.counter])).toEqual([
      [0, 0],
      [0, 1],
      [3, 8],
      [3, 11],
      [4, 0],
      [4, 1],
    ]);
  });

  it("refuses to tick past the last 4-digit-year millisecond", () => {
    const seen = formatHlc({ wallMs: MAX_WALL_MS, counter: MAX_COUNTER - 1, replica: A });
    const clock = makeClock({ replica: A, now: () => MAX_WALL_MS, seen });
    expect(parseHlc(clock.tick())).toEqual({ wallMs: MAX_WALL_MS, counter: MAX_COUNTER, replica: A });
    expect(() => clock.tick()).toThrow(HlcFormatError);
  });

  it("keeps increasing when now() goes backwards", () => {
    let now = T0;
    const clock = makeClock({ replica: A, now: () => now });
    const first = clock.tick();
    now = T0 - 60_000;
    const second = clock.tick();
    expect(compareHlc(second, first)).toBe(1);
    expect(parseHlc(second)).toEqual({ wallMs: T0, counter: 1, replica: A });
  });

  it("rolls the wall time forward by 1 ms instead of overflowing the counter", () => {
    const seen = formatHlc({ wallMs: T0, counter: MAX_COUNTER - 1, replica: A });
    const clock = makeClock({ replica: A, now: () => T0, seen });
    expect(parseHlc(clock.tick())).toEqual({ wallMs: T0, counter: MAX_COUNTER, replica: A });
    expect(parseHlc(clock.tick())).toEqual({ wallMs: T0 + 1, counter: 0, replica: A });
    expect(parseHlc(clock.tick())).toEqual({ wallMs: T0 + 1, counter: 1, replica: A });
  });

  it("ticks past `seen` even when seen is from another replica, ahead of now(), with a larger replica id", () => {
    const seen = formatHlc({ wallMs: T0 + 1000, counter: 3, replica: "ffffffffffffffff" });
    const clock = makeClock({ replica: A, now: () => T0, seen });
    expect(clock.last()).toBe(seen);
    const next = clock.tick();
    expect(compareHlc(next, seen)).toBe(1);
    expect(parseHlc(next)).toEqual({ wallMs: T0 + 1000, counter: 4, replica: A });
  });

  it("observe raises the clock to a stored HLC (no drift check) and never lowers it", () => {
    const clock = makeClock({ replica: A, now: () => T0 });
    const own = clock.tick();
    const stored = formatHlc({ wallMs: T0 + DEFAULT_MAX_DRIFT_MS * 10, counter: 7, replica: "ffffffffffffffff" });
    clock.observe(stored);
    expect(clock.last()).toBe(stored);
    expect(parseHlc(clock.tick())).toEqual({ wallMs: T0 + DEFAULT_MAX_DRIFT_MS * 10, counter: 8, replica: A });
    const top = clock.last();
    clock.observe(own);
    expect(clock.last()).toBe(top);
  });

  const arbNearParts = fc.record({
    wallMs: fc.integer({ min: T0 - 2, max: T0 + 3 }),
    counter: arbCounter,
    replica: fc.oneof(arbReplica, fc.constantFrom(A, B)),
  });
  it("property: after observe(h), every tick exceeds h and the HLCs before it", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(arbNearParts.map(formatHlc), fc.constant(undefined)), { maxLength: 20 }), (steps) => {
        const clock = makeClock({ replica: A, now: () => T0 });
        let max = "";
        for (const step of steps) {
          if (step === undefined) {
            const t = clock.tick();
            expect(t > max).toBe(true);
            max = t;
          } else {
            clock.observe(step);
            if (step > max) max = step;
          }
        }
      }),
      { numRuns },
    );
  });

  it("receive merges a remote ahead of local time (standard HLC rule)", () => {
    const clock = makeClock({ replica: A, now: () => T0 });
    clock.tick();
    const remote = formatHlc({ wallMs: T0 + 1000, counter: 7, replica: B });
    clock.receive(remote);
    expect(parseHlc(clock.last() ?? "")).toEqual({ wallMs: T0 + 1000, counter: 8, replica: A });
    expect(parseHlc(clock.tick())).toEqual({ wallMs: T0 + 1000, counter: 9, replica: A });
  });

  it("receive with equal wall times takes the larger counter", () => {
    const clock = makeClock({ replica: A, now: () => T0 });
    clock.tick();
    clock.tick();
    clock.receive(formatHlc({ wallMs: T0, counter: 1, replica: B }));
    expect(parseHlc(clock.tick()).counter).toBe(3);
    clock.receive(formatHlc({ wallMs: T0, counter: 10, replica: B }));
    expect(parseHlc(clock.tick()).counter).toBe(12);
  });

  it("receive of an old remote still advances past local", () => {
    const clock = makeClock({ replica: A, now: () => T0 });
    const before = clock.tick();
    clock.receive(formatHlc({ wallMs: 0, counter: 0, replica: B }));
    expect(compareHlc(clock.tick(), before)).toBe(1);
  });

  it("receive refuses a remote too far ahead and leaves the clock unchanged", () => {
    const clock = makeClock({ replica: A, now: () => T0, maxDriftMs: 1000 });
    const before = clock.tick();
    const remote = formatHlc({ wallMs: T0 + 1001, counter: 0, replica: B });
    expect(() => clock.receive(remote)).toThrow(ClockDriftError);
    expect(clock.last()).toBe(before);
    expect(clock.tick()).toBe(formatHlc({ wallMs: T0, counter: 1, replica: A }));
  });

  it("uses a 5 minute drift limit by default", () => {
    const clock = makeClock({ replica: A, now: () => T0 });
    clock.receive(formatHlc({ wallMs: T0 + 5 * 60_000, counter: 0, replica: B }));
    expect(() => clock.receive(formatHlc({ wallMs: T0 + 5 * 60_000 + 1, counter: 0, replica: B }))).toThrow(ClockDriftError);
  });

  it("receive refuses a malformed remote HLC", () => {
    const clock = makeClock({ replica: A, now: () => T0 });
    expect(() => clock.receive("yesterday")).toThrow(HlcParseError);
    expect(clock.last()).toBeUndefined();
  });

  it("refuses a malformed replica and a malformed seen", () => {
    expect(() => makeClock({ replica: "ABC" })).toThrow(HlcFormatError);
    expect(() => makeClock({ replica: A, seen: "nope" })).toThrow(HlcParseError);
  });

  it("refuses a negative or NaN drift limit", () => {
    expect(() => makeClock({ replica: A, maxDriftMs: -1 })).toThrow(/maxDriftMs must be a number >= 0/);
    expect(() => makeClock({ replica: A, maxDriftMs: Number.NaN })).toThrow(/maxDriftMs/);
    expect(() => makeClock({ replica: A, maxDriftMs: Number.POSITIVE_INFINITY })).not.toThrow();
  });

  it("refuses a now() that is not a number of milliseconds", () => {
    const clock = makeClock({ replica: A, now: () => Number.NaN });
    expect(() => clock.tick()).toThrow(/now\(\) returned NaN/);
  });

  type Step = { readonly now: number } & (
    { readonly op: "tick" } | { readonly op: "receive"; readonly wallOffset: number; readonly counter: number; readonly replica: string }
  );
  const arbStep: fc.Arbitrary<Step> = fc.oneof(
    fc.record({ op: fc.constant("tick" as const), now: fc.integer({ min: T0 - 10, max: T0 + 10 }) }),
    fc.record({
      op: fc.constant("receive" as const),
      now: fc.integer({ min: T0 - 10, max: T0 + 10 }),
      wallOffset: fc.integer({ min: -20, max: 20 }),
      counter: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: MAX_COUNTER - 3, max: MAX_COUNTER })),
      replica: fc.oneof(arbReplica, fc.constantFrom(A, B)),
    }),
  );
  const arbSeen = fc.option(
    fc.record({
      wallMs: fc.integer({ min: T0 - 10, max: T0 + 10 }),
      counter: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: MAX_COUNTER - 3, max: MAX_COUNTER })),
      replica: arbReplica,
    }),
    { nil: undefined },
  );

  it("local HLCs strictly increase and exceed every HLC seen or received, whatever now() does", () => {
    fc.assert(
      fc.property(arbSeen, fc.array(arbStep, { maxLength: 60 }), (seenParts, steps) => {
        let now = T0;
        const seen = seenParts === undefined ? undefined : formatHlc(seenParts);
        const clock = makeClock({ replica: A, now: () => now, maxDriftMs: 15, ...(seen === undefined ? {} : { seen }) });
        let highest: Hlc | undefined = seen;
        for (const step of steps) {
          now = step.now;
          if (step.op === "tick") {
            const hlc = clock.tick();
            expect(isHlc(hlc)).toBe(true);
            expect(hlc.endsWith(`-${A}`)).toBe(true);
            if (highest !== undefined) expect(compareHlc(hlc, highest)).toBe(1);
            highest = hlc;
          } else {
            const remote = formatHlc({ wallMs: step.now + step.wallOffset, counter: step.counter, replica: step.replica });
            const before = clock.last();
            if (step.wallOffset > 15) {
              expect(() => clock.receive(remote)).toThrow(ClockDriftError);
              expect(clock.last()).toBe(before);
            } else {
              clock.receive(remote);
              const merged = clock.last() ?? "";
              expect(merged.endsWith(`-${A}`)).toBe(true);
              expect(compareHlc(merged, remote)).toBe(1);
              if (highest !== undefined) expect(compareHlc(merged, highest)).toBe(1);
              highest = merged;
            }
          }
        }
      }),
      { numRuns },
    );
  });
});

describe("newReplicaId", () => {
  it("hex-encodes 8 bytes from the random source", () => {
    expect(newReplicaId(() => new Uint8Array([0x7f, 0x3a, 0x9c, 0x2e, 0x1b, 0x4d, 0x5a, 0x6c]))).toBe(A);
    expect(newReplicaId(() => new Uint8Array(8))).toBe("0000000000000000");
  });

  it("uses a secure random source by default", () => {
    const ids = new Set(Array.from({ length: 20 }, () => newReplicaId()));
    expect(ids.size).toBe(20);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{16}$/);
  });

  it("refuses a random source that returns the wrong number of bytes", () => {
    expect(() => newReplicaId(() => new Uint8Array(4))).toThrow(/returned 4 bytes/);
  });
});
