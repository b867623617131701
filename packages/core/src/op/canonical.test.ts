import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CanonicalJsonError, bodyBytes, canonicalJson, hashJson, hashOp, utf8Length } from "./canonical.js";
import { makeOp } from "../testing/pure/op-builder.js";

const numRuns = Number(process.env.QC_PROPERTY_RUNS ?? 200);

/** The same object with its keys (at every depth) inserted in a shuffled order. */
function permuteKeys(value: unknown, order: ReadonlyArray<number>, depth = 0): unknown {
  if (Array.isArray(value)) return value.map((item) => permuteKeys(item, order, depth + 1));
  if (typeof value !== "object" || value === null) return value;
  const entries = Object.entries(value);
  const shuffled = entries
    .map((entry, i) => ({ entry, rank: order[(i + depth) % Math.max(order.length, 1)] ?? i }))
    .sort((a, b) => a.rank - b.rank)
    .map(({ entry: [k, v] }) => [k, permuteKeys(v, order, depth + 1)] as const);
  return Object.fromEntries(shuffled);
}

describe("canonicalJson", () => {
  it("sorts keys at every depth and writes no whitespace", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}');
  });

  it("encodes scalars like JSON", () => {
    expect(canonicalJson('a"b\n')).toBe('"a\\"b\\n"');
    expect(canonicalJson(true)).toBe("true");
    expect(canonicalJson(null)).toBe("null");
    expect(canonicalJson(-0)).toBe("0");
    expect(canonicalJson(1.5e300)).toBe("1.5e+300");
    expect(canonicalJson([])).toBe("[]");
    expect(canonicalJson({})).toBe("{}");
  });

  it("keeps an own __proto__ key as data", () => {
    const value = JSON.parse('{"__proto__":{"x":1},"a":2}') as unknown;
    expect(canonicalJson(value)).toBe('{"__proto__":{"x":1},"a":2}');
  });

  it.each<[string, unknown, string]>([
    ["undefined", undefined, ""],
    ["an undefined property", { a: { b: undefined } }, "a.b"],
    ["NaN", { n: Number.NaN }, "n"],
    ["Infinity", [1, Number.POSITIVE_INFINITY], "[1]"],
    ["a function", { f: () => 1 }, "f"],
    ["a bigint", { big: 1n }, "big"],
    ["a symbol", Symbol("s"), ""],
    ["a Date", { when: new Date(0) }, "when"],
    ["a Uint8Array", { bytes: new Uint8Array(2) }, "bytes"],
    ["a Map", new Map(), ""],
  ])("refuses %s with a CanonicalJsonError naming the path", (_name, value, path) => {
    try {
      canonicalJson(value);
      expect.unreachable("canonicalJson should have thrown");
    } catch (e) {
      expect(e).toBeInstanceOf(CanonicalJsonError);
      expect((e as CanonicalJsonError)._tag).toBe("CanonicalJsonError");
      expect((e as CanonicalJsonError).path).toBe(path);
      expect((e as CanonicalJsonError).message).toContain("cannot encode as canonical JSON");
    }
  });

  it("refuses a cycle but accepts a shared (acyclic) subtree", () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic["self"] = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(/cycle/);
    const shared = { x: 1 };
    expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"x":1},"b":{"x":1}}');
  });

  it("accepts null-prototype objects", () => {
    const bare = Object.create(null) as Record<string, unknown>;
    bare["b"] = 1;
    bare["a"] = 2;
    expect(canonicalJson(bare)).toBe('{"a":2,"b":1}');
  });

  it("is invariant under permutation of keys", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.array(fc.nat(100), { minLength: 1, maxLength: 8 }), (value, order) => {
        const permuted = permuteKeys(value, order);
        expect(canonicalJson(permuted)).toBe(canonicalJson(value));
      }),
      { numRuns },
    );
  });

  it("decodes back to data equal to the input", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        // JSON has no -0; canonicalJson writes it as 0 like JSON.stringify does.
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns },
    );
  });
});

describe("hashOp", () => {
  it("is the hex SHA-256 of the canonical JSON (checked against node:crypto)", () => {
    const op = makeOp({ kind: "set", body: { field: "name", value: "Ärger 😀" } });
    expect(hashOp(op)).toBe(createHash("sha256").update(canonicalJson(op), "utf8").digest("hex"));
    expect(hashOp(op)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("does not depend on key order but does depend on content", () => {
    const op = makeOp({ kind: "set", body: { field: "name", value: "Anger" } });
    const reordered = permuteKeys(op, [3, 1, 2, 0]) as typeof op;
    expect(Object.keys(reordered)).not.toEqual(Object.keys(op));
    expect(hashOp(reordered)).toBe(hashOp(op));
    expect(hashOp({ ...op, body: { field: "name", value: "anger" } })).not.toBe(hashOp(op));
  });
});

describe("hashJson", () => {
  it("hashes any canonical JSON value, e.g. an op of a newer version", () => {
    const future = { v: 2, id: "x", body: { b: 1, a: 2 } };
    expect(hashJson(future)).toBe(bytesToHex(sha256(new TextEncoder().encode('{"body":{"a":2,"b":1},"id":"x","v":2}'))));
    expect(hashJson(makeOp())).toMatch(/^[0-9a-f]{64}$/);
    expect(() => hashJson({ v: Number.NaN })).toThrow(CanonicalJsonError);
  });
});

describe("bodyBytes / utf8Length", () => {
  it("counts UTF-8 bytes of the canonical body", () => {
    const op = makeOp({ kind: "set", body: { field: "name", value: "é😀" } });
    expect(bodyBytes(op)).toBe(new TextEncoder().encode('{"field":"name","value":"é😀"}').length);
  });

  it("counts a lone surrogate as U+FFFD (3 bytes), like TextEncoder", () => {
    for (const s of ["\ud800", "a\udc00", "\udbff\ud800x", "😀"]) {
      expect(utf8Length(s)).toBe(new TextEncoder().encode(s).length);
    }
  });

  it("matches TextEncoder for every string", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: "binary" }),
          fc.string({ unit: fc.integer({ min: 0xd7f0, max: 0xe010 }).map((c) => String.fromCharCode(c)) }),
        ),
        (s) => {
          expect(utf8Length(s)).toBe(new TextEncoder().encode(s).length);
        },
      ),
      { numRuns },
    );
  });
});
