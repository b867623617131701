/**
 * The fast decoder (op-fast.ts) against the Effect Schema decoder: whatever
 * the fast path accepts, the schema decoder accepts and decodes to the same
 * op (same keys in the same order) with the same canonical JSON; and
 * `decodeOp` / `classifyOp` (fast path first, schema fallback) give exactly
 * the verdicts and errors of the schema-only functions, on valid ops and on
 * ops mutated in every way we could think of.
 */
import * as Either from "effect/Either";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "./canonical.js";
import { makeOp } from "../testing/pure/op-builder.js";
import { arbTextUpdate, textInsertUpdate, textUpdateOfBase64Length } from "../testing/yjs-updates.js";
import { fastDecodeOp } from "./op-fast.js";
import { classifyOp, classifyOpWithSchema, decodeOp, decodeOpWithSchema } from "./op-schema.js";
import { ENTITY_TYPES, MAX_BODY_BYTES, OP_KINDS } from "./op.js";
import type { Op } from "./op.js";

const numRuns = Number(process.env.QC_PROPERTY_RUNS ?? 300);
const wire = (op: unknown): Record<string, unknown> => JSON.parse(JSON.stringify(op)) as Record<string, unknown>;

const arbId = fc.oneof(fc.stringMatching(/^[a-z][a-z0-9-]{0,11}$/), fc.string({ minLength: 1, maxLength: 8 }));
const arbName = fc
  .string({ minLength: 1, maxLength: 40 })
  .map((s) => s.trim())
  .filter((s) => s !== "");
const arbBase64 = fc.uint8Array({ minLength: 1, maxLength: 30 }).map((b) => btoa(String.fromCharCode(...b)));
const arbAnchor = fc.oneof(fc.integer({ min: 0, max: 10_000 }), fc.double({ noNaN: true, noDefaultInfinity: true }), arbBase64);
const arbColor = fc.stringMatching(/^#[0-9a-fA-F]{6}$/);
const arbAttr = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string(),
  fc.string({ unit: "binary" }),
);
const arbPrev = fc.option(fc.array(fc.string(), { maxLength: 3 }), { nil: undefined });
const arbUndoes = fc.option(arbId, { nil: undefined });

type Init = Parameters<typeof makeOp>[0];
const arbInit: fc.Arbitrary<Init> = fc.oneof(
  fc.record({
    target: fc.record({ type: fc.constantFrom("code" as const, "category" as const), id: arbId }),
    body: fc.record({
      fields: fc.record({ name: arbName, color: arbColor, parent: fc.option(arbId, { nil: null }) }, { requiredKeys: [] }),
    }),
    prev: arbPrev,
  }),
  fc.record({
    target: fc.record({ type: fc.constant("segment" as const), id: arbId }),
    body: fc.record({
      fields: fc.record(
        { code: arbId, source: arbId, start: arbAnchor, end: arbAnchor, important: fc.boolean() },
        { requiredKeys: ["code", "source", "start", "end"] },
      ),
    }),
  }),
  fc.record({
    target: fc.record({ type: fc.constant("source" as const), id: arbId }),
    body: fc.record({
      fields: fc.record(
        {
          name: arbName,
          kind: fc.constantFrom("text", "pdf", "audio"),
          mediaPath: fc.option(fc.string(), { nil: null }),
          "attr:a1": arbAttr,
          "attr:b": arbAttr,
        },
        { requiredKeys: [] },
      ),
    }),
  }),
  fc.record({
    kind: fc.constant("set" as const),
    target: fc.record({ type: fc.constantFrom("case" as const, "source" as const), id: arbId }),
    body: fc.record({ field: arbId.map((id) => `attr:${id}`), value: arbAttr }),
    prev: arbPrev,
  }),
  fc.record({
    kind: fc.constant("set" as const),
    target: fc.record({ type: fc.constant("code" as const), id: arbId }),
    body: fc.oneof(
      fc.record({ field: fc.constant("name"), value: arbName }),
      fc.record({ field: fc.constant("color"), value: arbColor }),
      fc.record({ field: fc.constant("parent"), value: fc.option(arbId, { nil: null }) }),
    ),
    prev: arbPrev,
  }),
  fc.record({
    kind: fc.constant("set" as const),
    target: fc.record({ type: fc.constant("segment" as const), id: arbId }),
    body: fc.oneof(
      fc.record({ field: fc.constant("important"), value: fc.boolean() }),
      fc.record({ field: fc.constant("code"), value: arbId }),
    ),
  }),
  fc.record({
    kind: fc.constant("text" as const),
    target: fc.record({ type: fc.constantFrom("journal" as const, "source" as const), id: arbId }),
    body: fc.record({ field: fc.constant("content"), update: arbTextUpdate("content") }),
    undoes: arbUndoes,
  }),
  fc
    .record({
      kind: fc.constant("text" as const),
      target: fc.record({ type: fc.constantFrom("code" as const, "case" as const, "project" as const), id: arbId }),
      body: fc.record({ field: fc.constant("memo"), update: arbTextUpdate("memo") }),
    })
    .map((i) => (i.target.type === "project" ? { ...i, target: { type: "project" as const, id: "project-1" } } : i)),
  fc.record({
    kind: fc.constantFrom("delete" as const, "restore" as const),
    target: fc.record({ type: fc.constantFrom("code" as const, "segment" as const, "case" as const), id: arbId }),
    prev: arbPrev,
  }),
  fc.record({
    kind: fc.constant("move" as const),
    target: fc.record({ type: fc.constantFrom("category" as const, "folder" as const, "code" as const, "source" as const), id: arbId }),
    body: fc.record({ parent: fc.option(arbId, { nil: null }) }),
    prev: arbPrev,
  }),
  fc.record({
    kind: fc.constant("link" as const),
    target: fc.record({ type: fc.constant("case" as const), id: arbId }),
    body: fc.record({ source: arbId }),
  }),
  fc.record({
    kind: fc.constant("unlink" as const),
    target: fc.record({ type: fc.constant("case" as const), id: arbId }),
    body: fc.record({ adds: fc.array(fc.string(), { maxLength: 4 }) }),
  }),
  fc.record({
    kind: fc.constant("merge" as const),
    target: fc.record({ type: fc.constant("code" as const), id: arbId }),
    body: fc.record({ into: fc.option(arbId, { nil: null }) }),
    undoes: arbUndoes,
  }),
  fc.record({ kind: fc.constant("resolve" as const), body: fc.record({ conflict: arbId }) }),
) as fc.Arbitrary<Init>;

/** A valid op as it may arrive: a JSON copy (keys maybe reordered) or the decoded object itself. */
const arbValidInput: fc.Arbitrary<unknown> = fc.tuple(arbInit, fc.constantFrom("wire", "object", "reversed")).map(([init, form]) => {
  const clean = Object.fromEntries(Object.entries(init as object).filter(([, v]) => v !== undefined)) as Init;
  const op = makeOp(clean);
  return form === "object" ? op : form === "wire" ? wire(op) : reverseKeys(wire(op));
});

function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([k, v]) => [k, reverseKeys(v)]),
  );
}

class Box {
  readonly name: string;
  constructor(name: string) {
    this.name = name;
  }
}

/** Values one step from valid somewhere in an op: other kinds, types, ids, near-miss strings. */
const arbNearMiss: fc.Arbitrary<unknown> = fc.constantFrom<unknown>(
  undefined,
  null,
  "",
  " ",
  "%%%",
  "AQI",
  "AAA=",
  "A",
  0,
  -0,
  1,
  2,
  true,
  Number.NaN,
  [],
  {},
  [""],
  ["x"],
  ...ENTITY_TYPES,
  ...OP_KINDS,
  "split",
  "project-1",
  "project-2",
  "0000000000000001",
  "7f3a9c2e1b4d5a6c",
  "0000-7f3a9c2e1b4d5a6c",
  "2026-01-01T00:00:00.000Z-0000-0000000000000001",
  "2026-01-01T00:00:00.000Z-0000-7f3a9c2e1b4d5a6c",
  "2026-02-30T00:00:00.000Z-0000-7f3a9c2e1b4d5a6c",
  "name",
  "memo",
  "content",
  "attr:",
  "attr:x",
  "#00ff00",
  "red",
);

/** Values to put anywhere in an op: plain JSON and everything that is not quite it. */
const arbWeird: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 8, arbitrary: arbNearMiss },
  fc.jsonValue({ maxDepth: 2 }),
  fc.anything({
    maxDepth: 2,
    withNullPrototype: true,
    withObjectString: true,
    withBoxedValues: true,
    withSparseArray: true,
    withDate: true,
    withMap: true,
  }),
  fc.constantFrom<unknown>(
    undefined,
    null,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    -0,
    0,
    1,
    2,
    "",
    " ",
    "x",
    "AQID",
    "AAA=",
    "%%%",
    "#00ff00",
    "#00FF0",
    "memo",
    "content",
    "name",
    "code",
    "case",
    "project",
    "project-1",
    "create",
    "set",
    "text",
    "delete",
    "move",
    "merge",
    "rename",
    true,
    false,
    "2026-01-01T00:00:00.000Z-0000-7f3a9c2e1b4d5a6c",
    "7f3a9c2e1b4d5a6c",
    "7F3A9C2E1B4D5A6C",
    [],
    {},
    [""],
    [1],
    ["a", 2],
  ),
  fc.constant(null).map(() => JSON.parse('{"__proto__":{"name":"x"}}') as unknown),
  fc.constant(null).map(() => JSON.parse('{"name":"A","__proto__":1}') as unknown),
  fc.constant(null).map(() => Object.assign(Object.create(null) as object, { name: "A" })),
  fc.constant(null).map(() => new Box("A")),
  fc.constant(null).map(() => new Date(0)),
  fc.constant(null).map(() => Object.defineProperty({ name: "A" }, "hidden", { value: 1, enumerable: false })),
  fc.constant(null).map(() => ({ name: "A", [Symbol("s")]: 1 })),
  fc.constant(null).map(() => Object.assign(["a"], { extra: "x" })),
  fc.constant(null).map(() => [, "a"]),
  fc.constant(null).map(() => "€".repeat(Math.ceil(MAX_BODY_BYTES / 3))),
  fc.constant(null).map(() => "A".repeat(MAX_BODY_BYTES)),
);

type Mutation =
  | { readonly kind: "set"; readonly at: number; readonly key: Key; readonly value: unknown }
  | { readonly kind: "delete"; readonly at: number; readonly key: Key }
  | { readonly kind: "hide"; readonly at: number; readonly key: string }
  | { readonly kind: "symbol"; readonly at: number }
  | { readonly kind: "proto"; readonly at: number; readonly to: "null" | "class" | "array" }
  | { readonly kind: "protoKey"; readonly at: number }
  | { readonly kind: "cycle"; readonly at: number; readonly key: string }
  | { readonly kind: "hole"; readonly at: number };

/** A key by name, or (a number) the n-th existing key of the container, so mutations mostly hit real fields. */
type Key = string | number;
const arbName_ = fc.oneof(
  fc.constantFrom(
    "v",
    "id",
    "project",
    "replica",
    "actor",
    "hlc",
    "kind",
    "target",
    "body",
    "prev",
    "undoes",
    "type",
    "fields",
    "field",
    "value",
    "update",
    "parent",
    "source",
    "adds",
    "into",
    "conflict",
    "name",
    "color",
    "code",
    "start",
    "end",
    "important",
    "attr:a1",
    "0",
    "1",
    "length",
    "constructor",
    "toString",
  ),
  fc.string({ maxLength: 6 }),
);
const arbKey: fc.Arbitrary<Key> = fc.oneof({ weight: 2, arbitrary: fc.nat() }, { weight: 1, arbitrary: arbName_ });
const arbMutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant("set" as const), at: fc.nat(), key: arbKey, value: arbWeird }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("delete" as const), at: fc.nat(), key: arbKey }) },
  fc.record({ kind: fc.constant("hide" as const), at: fc.nat(), key: arbName_ }),
  fc.record({ kind: fc.constant("symbol" as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant("proto" as const),
    at: fc.nat(),
    to: fc.constantFrom("null" as const, "class" as const, "array" as const),
  }),
  fc.record({ kind: fc.constant("protoKey" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("cycle" as const), at: fc.nat(), key: arbName_ }),
  fc.record({ kind: fc.constant("hole" as const), at: fc.nat() }),
);

/** Every object and array inside `root` (root included), with a way to replace it in its parent. */
function containers(root: object): Array<{ node: object; replace: (next: object) => void }> {
  const out: Array<{ node: object; replace: (next: object) => void }> = [];
  let top = root;
  const seen = new Set<object>();
  const visit = (node: object, replace: (next: object) => void) => {
    if (seen.has(node)) return; // a cycle made by an earlier mutation
    seen.add(node);
    out.push({ node, replace });
    for (const key of Object.keys(node)) {
      const child = (node as Record<string, unknown>)[key];
      if (typeof child === "object" && child !== null) visit(child, (next) => ((node as Record<string, unknown>)[key] = next));
    }
  };
  visit(root, (next) => (top = next));
  void top;
  return out;
}

/** Applies mutations to a deep copy of `input` (the root itself is never replaced). */
function mutate(input: unknown, mutations: ReadonlyArray<Mutation>): unknown {
  const root = structuredCopy(input) as Record<string, unknown>;
  for (const m of mutations) {
    const all = containers(root);
    const target = all[m.at % all.length]!;
    const node = target.node as Record<string | symbol, unknown>;
    try {
      applyMutation(m, root, target, node);
    } catch {
      // e.g. a length that is not an array length, or a frozen value: skip this mutation
    }
  }
  return root;
}

function applyMutation(
  m: Mutation,
  root: object,
  target: { node: object; replace: (next: object) => void },
  node: Record<string | symbol, unknown>,
): void {
  switch (m.kind) {
    case "set":
      node[keyIn(node, m.key)] = m.value;
      break;
    case "delete":
      delete node[keyIn(node, m.key)];
      break;
    case "hide":
      if (Object.hasOwn(node, m.key)) Object.defineProperty(node, m.key, { enumerable: false });
      else Object.defineProperty(node, m.key, { value: "hidden", enumerable: false, configurable: true, writable: true });
      break;
    case "symbol":
      node[Symbol("extra")] = 1;
      break;
    case "proto":
      if (target.node === root) break;
      if (m.to === "null") target.replace(Object.assign(Object.create(null) as object, node));
      else if (m.to === "class") target.replace(Object.assign(new Box("x"), node));
      else target.replace(Array.isArray(node) ? Object.assign({}, node) : Object.values(node));
      break;
    case "protoKey":
      Object.defineProperty(node, "__proto__", { value: { name: "x" }, enumerable: true, configurable: true, writable: true });
      break;
    case "cycle":
      node[m.key] = root;
      break;
    case "hole":
      if (Array.isArray(node)) node.length += 1;
      break;
  }
}

function keyIn(node: object, key: Key): string {
  if (typeof key === "string") return key;
  const keys = Object.keys(node);
  return keys.length === 0 ? "x" : (keys[key % keys.length] as string);
}

function structuredCopy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(structuredCopy);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, structuredCopy(v)]));
}

/**
 * What a call does: its result, or the error it throws. (The schema decoder
 * throws on a few exotic inputs: a non-enumerable body property holding a
 * "__proto__" key escapes `findUnsafeData`; both paths must then throw alike.)
 */
function outcome<T>(f: () => T): { readonly value: T } | { readonly thrown: string } {
  try {
    return { value: f() };
  } catch (error) {
    return { thrown: String(error) };
  }
}

/** Same verdict, same op (keys in the same order) or the same error. */
function expectSameDecode(input: unknown): void {
  const gotOutcome = outcome(() => decodeOp(input));
  const wantOutcome = outcome(() => decodeOpWithSchema(input));
  // decodeOp and classifyOp never throw: where the schema decoder throws, they refuse the op as unreadable.
  expect(gotOutcome).not.toHaveProperty("thrown");
  if ("thrown" in wantOutcome) {
    const unreadable = { _tag: "OpDecodeError", check: "not-an-object", path: "" };
    const got = (gotOutcome as { readonly value: ReturnType<typeof decodeOp> }).value;
    expect(Either.isLeft(got) && got.left).toMatchObject(unreadable);
    expect(Either.isLeft(got) && got.left.reason).toContain(wantOutcome.thrown.replace(/^\w*Error: /, ""));
    const classified = classifyOp(input);
    expect(classified._tag === "invalid" && classified.error.reason).toBe(Either.isLeft(got) && got.left.reason);
    return;
  }
  if ("thrown" in gotOutcome) return;
  const got = gotOutcome.value;
  const want = wantOutcome.value;
  expect(got._tag).toBe(want._tag);
  if (Either.isRight(got) && Either.isRight(want)) expectSameOp(got.right, want.right);
  if (Either.isLeft(got) && Either.isLeft(want)) {
    expect({ ...got.left, message: got.left.message }).toEqual({ ...want.left, message: want.left.message });
  }
  const gotC = classifyOp(input);
  const wantC = classifyOpWithSchema(input);
  if (gotC._tag === "valid" && wantC._tag === "valid") expectSameOp(gotC.op, wantC.op);
  else if (gotC._tag === "invalid" && wantC._tag === "invalid") expect(gotC.error.message).toBe(wantC.error.message);
  else expect(gotC).toEqual(wantC);
}

function expectSameOp(got: Op, want: Op): void {
  expect(got).toStrictEqual(want);
  expect(JSON.stringify(got)).toBe(JSON.stringify(want)); // key order too
}

/** The fast path's own promise: accept only what the schema accepts, as the same op, with its canonical JSON. */
function expectSoundFastPath(input: unknown): boolean {
  const fast = fastDecodeOp(input);
  if (fast === undefined) return false;
  const want = decodeOpWithSchema(input); // throws: the fast path accepted what the schema decoder cannot decode
  if (Either.isLeft(want)) throw new Error(`fast path accepted what the schema refuses: ${want.left.message}`);
  expectSameOp(fast.op, want.right);
  expect(fast.json).toBe(canonicalJson(want.right));
  return true;
}

describe("fastDecodeOp", () => {
  it("takes every valid op the arbitraries make, as the schema decoder decodes it, with its canonical JSON", () => {
    fc.assert(
      fc.property(arbValidInput, (input) => {
        expect(expectSoundFastPath(input)).toBe(true);
        expectSameDecode(input);
      }),
      { numRuns },
    );
  });

  it("never accepts what the schema decoder refuses, and decodeOp/classifyOp keep the schema's verdicts and errors, on mutated ops", () => {
    let accepted = 0;
    let refused = 0;
    fc.assert(
      fc.property(arbValidInput, fc.array(arbMutation, { minLength: 1, maxLength: 3 }), (input, mutations) => {
        const mutated = mutate(input, mutations);
        if (expectSoundFastPath(mutated)) accepted++;
        else refused++;
        expectSameDecode(mutated);
      }),
      { numRuns: numRuns * 5, ...(process.env.QC_SEED ? { seed: Number(process.env.QC_SEED) } : {}) },
    );
    // Both sides of the fast path were exercised.
    expect(accepted).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
  });

  // Regression (seed 1954127988): a "__proto__" key under a non-enumerable body slipped past the
  // unsafe-data walk, and the schema decoder threw while copying it instead of refusing the op.
  it('refuses a "__proto__" key hidden under a non-enumerable property, on both decoders, without throwing', () => {
    const input: Record<string, unknown> = { ...makeOp({ kind: "create", target: { type: "source", id: " " }, body: { fields: {} } }) };
    const body = input["body"] as { fields: Record<string, unknown> };
    Object.defineProperty(body.fields, "__proto__", { value: { name: "x" }, enumerable: true, configurable: true, writable: true });
    Object.defineProperty(input, "body", { enumerable: false });
    for (const decode of [decodeOp, decodeOpWithSchema]) {
      const result = decode(input);
      expect(Either.isLeft(result) && result.left.check).toBe("unsafe-data");
    }
    expectSameDecode(input);
  });

  // Regression (seed 1725254107): an array-prototyped body with a hidden "constructor" key makes the
  // schema decoder throw while copying it; decodeOp and classifyOp refuse it as unreadable instead.
  it("refuses, without throwing, a body whose prototype is Array's and whose constructor key is hidden", () => {
    const input = makeOp({ kind: "resolve", target: { type: "project", id: "project-1" }, body: { conflict: " " } });
    const mutated = mutate(input, [
      { kind: "proto", at: 31936181, to: "array" },
      { kind: "hide", at: 1900544255, key: "constructor" },
    ]);
    expect(() => decodeOpWithSchema(mutated)).toThrow(TypeError);
    expect(expectSoundFastPath(mutated)).toBe(false);
    expectSameDecode(mutated);
  });

  it("agrees with the schema decoder on arbitrary values", () => {
    fc.assert(
      fc.property(arbWeird, (input) => {
        expectSoundFastPath(input);
        expectSameDecode(input);
      }),
      { numRuns },
    );
  });

  it("agrees with the schema decoder on every one-field change of a valid op of every kind", () => {
    const samples: Array<unknown> = [
      ...OP_KINDS.map((kind) => makeOp({ kind })),
      makeOp({ kind: "set", prev: ["a", "b"], body: { field: "color", value: "#00ff00" } }),
      makeOp({ kind: "set", target: { type: "project", id: "project-1" }, body: { field: "name", value: "P" } }),
      makeOp({ kind: "set", target: { type: "case", id: "k" }, body: { field: "attr:a", value: 1 } }),
      makeOp({ kind: "text", target: { type: "source", id: "s" }, body: { field: "content", update: textInsertUpdate("content", "abc") } }),
      makeOp({ kind: "move", target: { type: "folder", id: "f" }, body: { parent: "g" }, prev: [] }),
      makeOp({ kind: "unlink", body: { adds: ["x", "y"] } }),
      makeOp({ target: { type: "segment", id: "s" }, body: { fields: { code: "c", source: "s", start: 1, end: "AQID" } } }),
      makeOp({ target: { type: "source", id: "s" }, body: { fields: { name: "S", kind: "text", mediaPath: null, "attr:a": true } } }),
    ];
    const values: Array<unknown> = ([...ENTITY_TYPES, ...OP_KINDS] as Array<unknown>).concat([
      undefined,
      null,
      "",
      " ",
      "%%%",
      "AQI",
      "AAA=",
      0,
      -0,
      1,
      2,
      1.5,
      true,
      Number.NaN,
      [],
      {},
      [""],
      [1],
      { a: 1 },
      "split",
      "project-1",
      "project-2",
      "0000000000000001",
      "7F3A9C2E1B4D5A6C",
      "0000-7f3a9c2e1b4d5a6c",
      "2026-01-01T00:00:00.000Z-0000-0000000000000001",
      "2026-02-30T00:00:00.000Z-0000-7f3a9c2e1b4d5a6c",
      "name",
      "memo",
      "content",
      "parent",
      "attr:",
      "attr:x",
      "#00ff00",
      "red",
      new Date(0),
      new Box("x"),
      Object.create(null) as unknown,
    ]);
    let cases = 0;
    for (const sample of samples) {
      for (const form of [wire(sample)]) {
        const paths = containers(structuredCopy(form) as object).length;
        for (let at = 0; at < paths; at++) {
          const node = containers(structuredCopy(form) as object)[at]!.node;
          for (const key of [...Object.keys(node), "extra", "0"]) {
            for (const value of values) {
              const input = mutate(form, [{ kind: "set", at, key, value }]);
              expectSoundFastPath(input);
              expectSameDecode(input);
              cases++;
            }
            expectSameDecode(mutate(form, [{ kind: "delete", at, key }]));
          }
        }
        for (const value of values) {
          // id and hlc change together: only the HLC's own format can refuse it.
          const input = mutate(form, [
            { kind: "set", at: 0, key: "id", value },
            { kind: "set", at: 0, key: "hlc", value },
          ]);
          expectSoundFastPath(input);
          expectSameDecode(input);
        }
        // A replica that is a longer suffix of the hlc than a replica id.
        const suffix = (form["hlc"] as string).slice(-21);
        const input = mutate(form, [{ kind: "set", at: 0, key: "replica", value: suffix }]);
        expectSoundFastPath(input);
        expectSameDecode(input);
      }
    }
    expect(cases).toBeGreaterThan(10_000);
  });

  it("checks each HLC's own tail after an op with the same date-time was accepted", () => {
    const op = wire(makeOp({ kind: "delete" }));
    const hlc = op["hlc"] as string;
    const [iso, replica] = [hlc.slice(0, 24), op["replica"] as string];
    expect(fastDecodeOp(op)).toBeDefined();
    for (const bad of [
      `${iso}-00G0-${replica}`,
      `${iso}-000-${replica}`,
      `${iso}-0000-${replica}\n`,
      `${iso}-0000-${replica}-`,
      `${iso}x0000-${replica}`,
      `${iso}`,
    ]) {
      const input = { ...op, id: bad, hlc: bad };
      expect(fastDecodeOp(input)).toBeUndefined();
      expectSameDecode(input);
    }
    const other = `${iso}-ffff-${replica}`;
    expect(fastDecodeOp({ ...op, id: other, hlc: other })?.op.hlc).toBe(other);
  });

  it.each<[string, (op: Record<string, unknown>) => unknown]>([
    [
      "a body of exactly MAX_BODY_BYTES",
      (op) => ({
        ...op,
        kind: "text",
        body: { field: "memo", update: textUpdateOfBase64Length("memo", MAX_BODY_BYTES - '{"field":"memo","update":""}'.length) },
      }),
    ],
    [
      "a body one byte over",
      (op) => ({
        ...op,
        kind: "text",
        body: { field: "memo", update: textUpdateOfBase64Length("memo", MAX_BODY_BYTES - '{"field":"memo","update":""}'.length + 4) },
      }),
    ],
    [
      "a body over in UTF-8 bytes only",
      (op) => ({
        ...op,
        kind: "set",
        target: { type: "case", id: "k" },
        body: { field: "attr:a1", value: "€".repeat(Math.ceil(MAX_BODY_BYTES / 3)) },
      }),
    ],
    ["a lone surrogate in a name", (op) => ({ ...op, body: { fields: { name: "a\ud800b" } } })],
    [
      "a __proto__ field from parsed JSON",
      (op) => JSON.parse(JSON.stringify(op).replace('"fields":{', '"fields":{"__proto__":{"name":"x"},')) as unknown,
    ],
    ["a prev of undefined", (op) => ({ ...op, prev: undefined })],
    ["a deep value", (op) => ({ ...op, body: { fields: { name: JSON.parse("[".repeat(100) + "]".repeat(100)) as unknown } } })],
    ["a -0 attribute", (op) => ({ ...op, kind: "set", target: { type: "case", id: "k" }, body: { field: "attr:a1", value: -0 } })],
  ])("agrees on %s", (_name, build) => {
    const input = build(wire(makeOp({ body: { fields: { name: "N" } } })));
    expectSoundFastPath(input);
    expectSameDecode(input);
  });
});
