import { describe, expect, it } from "vitest";
import { decodeTs, encodeTs } from "./wire.js";
import { canonicalUdfPath } from "./udf.js";

describe("protocol timestamps (u64, base64 little-endian)", () => {
  it("encode as the Convex client expects", () => {
    expect(encodeTs(1n)).toBe("AQAAAAAAAAA=");
    expect(encodeTs(0x0102030405060708n)).toBe(Buffer.from([8, 7, 6, 5, 4, 3, 2, 1]).toString("base64"));
  });

  it("decode what they encode", () => {
    for (const ts of [0n, 1n, 1_764_072_000_000_000_000n, 2n ** 64n - 1n]) expect(decodeTs(encodeTs(ts))).toBe(ts);
  });
});

describe("canonicalUdfPath", () => {
  it("strips .js and names the default export", () => {
    expect(canonicalUdfPath("ops.js:push")).toBe("ops:push");
    expect(canonicalUdfPath("ops:push")).toBe("ops:push");
    expect(canonicalUdfPath("dir/mod")).toBe("dir/mod:default");
  });
});
