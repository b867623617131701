import { describe, expect, it } from "vitest";
import { at, R1, R2 } from "../testing/pure/test-hlc.js";
import { idsOfKeys, keysOfIds, opKey, prevKeyOf, registerTag, writeRecordOf } from "./register-keys.js";

describe("register keys (op ids in m_registers as HLC keys)", () => {
  const [x, y, z] = [at(1, R2), at(2, R1), at(2, R2)];

  it("a prev of HLCs is its sorted, distinct keys; the same set gives the same bytes", () => {
    const key = prevKeyOf([z, x, z]);
    expect(Buffer.isBuffer(key)).toBe(true);
    expect(key).toEqual(Buffer.concat([opKey(x), opKey(z)]));
    expect(prevKeyOf([x, z])).toEqual(key);
    expect(idsOfKeys(key as Buffer)).toEqual([x, z]);
    expect(prevKeyOf([])).toEqual(Buffer.alloc(0));
  });

  it("a prev listing any other string is JSON text, which equals no byte key", () => {
    const key = prevKeyOf([y, "not an op", y]);
    expect(key).toBe(JSON.stringify([y, "not an op"].sort()));
    expect(prevKeyOf(["2026-02-30T00:00:00.000Z-0000-1111111111111111"])).toBeTypeOf("string"); // the HLC's shape, no such date
  });

  it("the top key is the highest HLC of a prev; strings that name no op are left out", () => {
    expect(writeRecordOf([x, z, y, "zzz"]).top).toEqual(opKey(z));
    expect(writeRecordOf([y, z, x]).top).toEqual(opKey(z));
    expect(writeRecordOf([x]).top).toEqual(opKey(x));
    expect(writeRecordOf(["zzz"]).top).toBeUndefined();
    expect(writeRecordOf([]).top).toBeUndefined();
  });

  it("lists of keys round-trip, keep their order, and refuse a length that is no list of keys", () => {
    expect(idsOfKeys(keysOfIds([x, y, z]))).toEqual([x, y, z]);
    expect(idsOfKeys(null)).toEqual([]);
    expect(idsOfKeys(Buffer.alloc(0))).toEqual([]);
    expect(() => idsOfKeys(Buffer.alloc(17))).toThrow(/17 bytes is not a list of 16-byte keys/);
    expect(Buffer.compare(opKey(x), opKey(y))).toBe(x < y ? -1 : 1);
  });

  it("a write's records: one `seen` per distinct entry, lowest first; the first row says the prev unless it is exactly that one HLC", () => {
    expect(writeRecordOf([x])).toEqual({ key: opKey(x), seen: [opKey(x)], firstKey: null, top: opKey(x) });
    const two = writeRecordOf([z, x, z]);
    expect(two.seen).toEqual([opKey(x), opKey(z)]);
    expect(two.firstKey).toEqual(Buffer.concat([opKey(x), opKey(z)]));
    expect(writeRecordOf([])).toEqual({ key: Buffer.alloc(0), seen: [Buffer.alloc(0)], firstKey: Buffer.alloc(0), top: undefined });
    const junk = writeRecordOf(["zzz", x]);
    expect(junk.seen).toEqual([opKey(x), "zzz"]); // sorted as strings: an HLC's digits before letters
    expect(junk.firstKey).toBe(JSON.stringify([x, "zzz"]));
    expect(writeRecordOf(["only junk"]).firstKey).toBe(JSON.stringify(["only junk"])); // one entry, but no HLC: says so
  });

  it("a register's tag is a stable 53-bit integer that tells apart registers whose parts only split differently", () => {
    const tag = registerTag("code", "code-a", "color");
    expect(Number.isSafeInteger(tag) && tag >= 0).toBe(true);
    expect(registerTag("code", "code-a", "color")).toBe(tag);
    expect(registerTag("code", "code-a", "name")).not.toBe(tag);
    expect(registerTag("ab", "c", "d")).not.toBe(registerTag("a", "bc", "d"));
    expect(registerTag("a", "b", "")).not.toBe(registerTag("a", "", "b"));
    const tags = new Set(Array.from({ length: 10_000 }, (_, i) => registerTag("code", `code-${i}`, "color")));
    expect(tags.size).toBe(10_000);
  });
});
