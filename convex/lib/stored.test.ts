/**
 * Property: the stored form of an op decodes to the same canonical JSON,
 * whatever the op looks like beyond its envelope (future ops included).
 */
import { canonicalJson } from "@qc/core/op";
import fc from "fast-check";
import { expect, test } from "vitest";
import { fromStored, toStored } from "./stored.js";

const numRuns = Number(process.env["QC_PROPERTY_RUNS"] ?? 200);

const json = fc.jsonValue({ maxDepth: 3 });
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

const opArb = fc
  .record({
    id: fc.string({ minLength: 1 }),
    hlc: fc.string({ minLength: 1 }),
    project: fc.string(),
    replica: fc.string(),
    actor: fc.string(),
    v: maybe(fc.oneof(fc.integer(), json)),
    kind: maybe(fc.oneof(fc.constantFrom("set", "create", "annotate"), json)),
    target: maybe(fc.oneof(fc.record({ type: fc.string(), id: fc.string() }), json)),
    prev: maybe(fc.oneof(fc.array(fc.string(), { maxLength: 4 }), json)),
    body: maybe(json),
    extra: fc.dictionary(
      fc.string().filter((k) => !["id", "hlc", "project", "replica", "actor", "v", "kind", "target", "prev", "body"].includes(k)),
      json,
      { maxKeys: 3 },
    ),
  })
  .map(({ extra, ...fields }) => {
    const op: Record<string, unknown> = { ...extra };
    for (const [key, value] of Object.entries(fields)) if (value !== undefined) op[key] = value;
    return op as Record<string, unknown> & { id: string; hlc: string; project: string; replica: string; actor: string };
  });

test("fromStored(toStored(op)) has the op's canonical JSON", () => {
  fc.assert(
    fc.property(opArb, (op) => {
      const stored = toStored(op, op);
      expect(canonicalJson(fromStored(stored))).toBe(canonicalJson(op));
    }),
    { numRuns },
  );
});

test("a v1 op fills the columns and needs no extra", () => {
  const hlc = "2026-11-25T12:00:00.000Z-0000-7f3a9c2e1b4d5a6c";
  const op = {
    v: 1,
    id: hlc,
    hlc,
    project: "p",
    replica: "7f3a9c2e1b4d5a6c",
    actor: "a",
    kind: "set",
    target: { type: "code", id: "c" },
    body: { field: "name", value: "x" },
    prev: [hlc],
  };
  const stored = toStored(op, op);
  expect(stored).toEqual({ ...op, body: '{"field":"name","value":"x"}' });
  expect(stored.extra).toBeUndefined();
});
