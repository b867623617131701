import { createHash } from "node:crypto";
import fc from "fast-check";
import { expect, test } from "vitest";
import { sha256Hex } from "./sha256.js";

const numRuns = Number(process.env["QC_PROPERTY_RUNS"] ?? 200);

test("known vectors (FIPS 180-4)", () => {
  expect(sha256Hex("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  expect(sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  expect(sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")).toBe(
    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
  );
});

test("equals node:crypto for any string, across block boundaries", () => {
  const lengths = fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: "grapheme", maxLength: 80 }));
  fc.assert(
    fc.property(lengths, (text) => {
      expect(sha256Hex(text)).toBe(createHash("sha256").update(text, "utf8").digest("hex"));
    }),
    { numRuns },
  );
  for (const n of [55, 56, 63, 64, 65, 119, 120, 1000]) {
    const text = "x".repeat(n);
    expect(sha256Hex(text)).toBe(createHash("sha256").update(text).digest("hex"));
  }
});
