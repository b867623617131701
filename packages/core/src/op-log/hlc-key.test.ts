import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isHlc } from "../hlc.js";
import { arbitraryHlc as hlcArb } from "../testing/arbitrary.js";
import { HLC_KEY_ABOVE_ALL, HLC_KEY_BELOW_ALL, hlcBoundKey, hlcKey, hlcKeyOf, hlcOfKey } from "./hlc-key.js";

const numRuns = Number(process.env["QC_PROPERTY_RUNS"] ?? 200);

describe("HLC keys", () => {
  it("sort as the HLC strings do and give the HLC back", () => {
    fc.assert(
      fc.property(hlcArb, hlcArb, (a, b) => {
        expect(hlcOfKey(hlcKey(a))).toBe(a);
        expect(Math.sign(Buffer.compare(hlcKey(a), hlcKey(b)))).toBe(a < b ? -1 : a > b ? 1 : 0);
        expect(Buffer.compare(HLC_KEY_BELOW_ALL, hlcKey(a))).toBe(-1);
        expect(Buffer.compare(hlcKey(a), HLC_KEY_ABOVE_ALL)).toBe(-1);
      }),
      { numRuns },
    );
  });

  it("read a history lower bound `<time>-` as the smallest HLC of that millisecond, the empty string as below all, and refuse anything else that is no HLC", () => {
    const iso = "2026-11-25T12:00:00.000Z";
    expect(hlcOfKey(hlcBoundKey(`${iso}-`))).toBe(`${iso}-0000-0000000000000000`);
    expect(hlcOfKey(hlcBoundKey(`${iso}-0001-00000000000000ab`))).toBe(`${iso}-0001-00000000000000ab`);
    expect(hlcBoundKey("")).toEqual(HLC_KEY_BELOW_ALL);
    expect(() => hlcBoundKey("yesterday")).toThrow(/cannot read "yesterday" as a position in the log/);
    expect(hlcKeyOf("2026-02-30T00:00:00.000Z-0000-0000000000000000")).toBeUndefined();
    expect(hlcKeyOf(42)).toBeUndefined();
    expect(() => hlcOfKey(Buffer.alloc(3))).toThrow(/16 bytes/);
  });
});

describe("hlcKeyOf", () => {
  it("takes exactly what isHlc takes", () => {
    const near = fc.oneof(
      hlcArb,
      hlcArb.map((h) => h.toUpperCase()),
      hlcArb.map((h) => `${h}0`),
      hlcArb.map((h) => h.slice(1)),
      fc.constantFrom("2026-02-30T00:00:00.000Z-0000-0000000000000000", "1969-12-31T23:59:59.999Z-0000-0000000000000000", ""),
      fc.string(),
    );
    fc.assert(
      fc.property(near, (s) => {
        expect(hlcKeyOf(s) !== undefined).toBe(isHlc(s));
      }),
      { numRuns },
    );
  });
});

describe("hlcKeyOf on strings of the shape", () => {
  it("gives a valid HLC its key, and nothing for what lacks the shape or a time the key can hold (without throwing)", () => {
    fc.assert(
      fc.property(hlcArb, (h) => {
        expect(hlcKeyOf(h)).toEqual(hlcKey(h));
      }),
      { numRuns },
    );
    expect(hlcKeyOf("2026-11-25T12:00:00.000Z-0000-00000000000000")).toBeUndefined();
    expect(hlcKeyOf("2026-11-25T12:00:00.000Z-000G-0000000000000000")).toBeUndefined();
    expect(hlcKeyOf("0000-01-01T00:00:00.000Z-0000-0000000000000000")).toBeUndefined();
    expect(hlcKeyOf("9999-99-99T99:99:99.999Z-0000-0000000000000000")).toBeUndefined();
    expect(hlcKeyOf("2026-11-25T24:00:00.000Z-0000-0000000000000000")).toBeUndefined();
  });
});
