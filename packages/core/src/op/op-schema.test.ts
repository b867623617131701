import * as Either from "effect/Either";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatHlc } from "../hlc.js";
import { hashOp } from "./canonical.js";
import { makeOp } from "../testing/pure/op-builder.js";
import { arbTextUpdate, textInsertUpdate, textUpdateOfBase64Length } from "../testing/yjs-updates.js";
import { OpDecodeError, classifyOp, decodeOp } from "./op-schema.js";
import type { OpDecodeCheck } from "./op-schema.js";
import { MAX_BODY_BYTES, OP_KINDS } from "./op.js";
import type { Op, OpKind, Target } from "./op.js";

const numRuns = Number(process.env.QC_PROPERTY_RUNS ?? 200);
const REPLICA = "7f3a9c2e1b4d5a6c";
const HLC = "2026-11-25T12:00:00.000Z-0000-7f3a9c2e1b4d5a6c";

function expectInvalid(input: unknown, path: string, reason: RegExp): OpDecodeError {
  const result = decodeOp(input);
  if (Either.isRight(result)) throw new Error(`expected ${JSON.stringify(input).slice(0, 200)} to be refused`);
  const error = result.left;
  expect(error).toBeInstanceOf(OpDecodeError);
  expect(error._tag).toBe("OpDecodeError");
  expect(error.path).toBe(path);
  expect(error.reason).toMatch(reason);
  expect(error.message).toContain(path === "" ? error.reason : `${path}: ${error.reason}`);
  return error;
}

function expectValid(input: unknown): Op {
  const result = decodeOp(input);
  if (Either.isLeft(result)) throw new Error(`expected a valid op, got: ${result.left.message}`);
  return result.right;
}

/** A plain JSON copy, as an op arrives from the network or the database. */
const wire = (op: unknown): Record<string, unknown> => JSON.parse(JSON.stringify(op)) as Record<string, unknown>;

describe("decodeOp accepts valid ops", () => {
  it.each(OP_KINDS.map((kind) => [kind] as const))("a default %s op", (kind) => {
    const op = makeOp({ kind });
    expect(expectValid(wire(op))).toEqual(op);
  });

  it.each<[string, Parameters<typeof makeOp>[0]]>([
    [
      "a complete segment create",
      {
        target: { type: "segment", id: "s1" },
        body: { fields: { code: "c1", source: "src1", start: "AQID", end: "AQIE", important: true } },
      },
    ],
    ["a segment code change", { kind: "set", target: { type: "segment", id: "s1" }, body: { field: "code", value: "c2" } }],
    ["an attribute value on a case", { kind: "set", target: { type: "case", id: "k1" }, body: { field: "attr:a1", value: 42 } }],
    [
      "an attribute value in a source create",
      { target: { type: "source", id: "src1" }, body: { fields: { name: "Interview 1", kind: "text", "attr:a1": "Berlin" } } },
    ],
    [
      "a text op on a source's content",
      { kind: "text", target: { type: "source", id: "src1" }, body: { field: "content", update: textInsertUpdate("content", "abc") } },
    ],
    ["a move to the root", { kind: "move", target: { type: "folder", id: "f1" }, body: { parent: null } }],
    ["an op with prev", { kind: "set", prev: [HLC, "any-string"], body: { field: "color", value: "#ff0000" } }],
    ["an unlink of several adds", { kind: "unlink", body: { adds: [HLC, "2026-11-25T12:00:00.000Z-0001-7f3a9c2e1b4d5a6c"] } }],
    ["a project rename", { kind: "set", target: { type: "project", id: "project-1" }, body: { field: "name", value: "Study" } }],
  ])("%s", (_name, init) => {
    const op = makeOp(init);
    expect(expectValid(wire(op))).toEqual(op);
  });

  it("accepts a body of exactly MAX_BODY_BYTES", () => {
    const overhead = '{"field":"memo","update":""}'.length;
    const op = {
      ...wire(makeOp({ kind: "text" })),
      body: { field: "memo", update: textUpdateOfBase64Length("memo", MAX_BODY_BYTES - overhead) },
    };
    expectValid(op);
  });
});

describe("decodeOp refuses malformed ops with a path and a reason", () => {
  const base = wire(makeOp({ hlc: HLC }));
  const withBody = (body: unknown, init: Parameters<typeof makeOp>[0] = {}) => ({ ...wire(makeOp({ hlc: HLC, ...init })), body });

  it("says which op, where and why (bad colour)", () => {
    const error = expectInvalid(withBody({ fields: { color: "red" } }), "body.fields.color", /expected #RRGGBB/);
    expect(error.opId).toBe(HLC);
    expect(error.message).toBe(`op ${HLC}: body.fields.color: expected #RRGGBB, got "red"`);
  });

  it.each<[string, unknown]>([
    ["null", null],
    ["an array", [base]],
    ["a string", JSON.stringify(base)],
  ])("refuses %s as a whole", (_name, input) => {
    const error = expectInvalid(input, "", /expected an op object/);
    expect(error.opId).toBeUndefined();
    expect(error.message).toMatch(/^op \(no readable id\): expected an op object/);
  });

  it.each<[string, Record<string, unknown>, string, RegExp]>([
    ["missing actor", { ...base, actor: undefined }, "actor", /missing|expected string/i],
    ["empty actor", { ...base, actor: "" }, "actor", /expected an actor name, got an empty string/],
    ["empty project", { ...base, project: "" }, "project", /non-empty/],
    ["v 0", { ...base, v: 0 }, "v", /Expected 1/],
    ["v as a string", { ...base, v: "1" }, "v", /Expected 1/],
    ["v 1.5", { ...base, v: 1.5 }, "v", /Expected 1/],
    ["a newer v", { ...base, v: 2 }, "v", /version 2 is newer than this qc understands \(1\); update qc/],
    ["an unknown kind", { ...base, kind: "rename" }, "kind", /unknown op kind "rename"/],
    ["a kind that is not a string", { ...base, kind: 3 }, "kind", /Expected string/],
    [
      "id different from hlc",
      { ...base, id: "op-1" },
      "id",
      /must equal hlc \(2026-11-25T12:00:00.000Z-0000-7f3a9c2e1b4d5a6c\), got "op-1"/,
    ],
    ["a malformed hlc", { ...base, hlc: "2026-11-25 12:00", id: "2026-11-25 12:00" }, "hlc", /expected an HLC like/],
    ["an hlc of another replica", { ...base, replica: "0000000000000001" }, "hlc", /must end in the op's replica -0000000000000001/],
    ["an upper-case replica", { ...base, replica: REPLICA.toUpperCase() }, "replica", /16 lowercase hex/],
    ["a short replica", { ...base, replica: "7f3a" }, "replica", /16 lowercase hex/],
    ["an unknown entity type", { ...base, target: { type: "memo", id: "x" } }, "target.type", /Expected/],
    ["an empty target id", { ...base, target: { type: "code", id: "" } }, "target.id", /non-empty/],
    ["a numeric target id", { ...base, target: { type: "code", id: 7 } }, "target.id", /Expected string, actual 7/],
    [
      "a project target that is not the op's project",
      { ...base, target: { type: "project", id: "other" } },
      "target.id",
      /the op's project "project-1", got "other"/,
    ],
    ["prev that is not an array", { ...base, prev: HLC }, "prev", /Expected ReadonlyArray/],
    ["prev with a number", { ...base, prev: [HLC, 5] }, "prev[1]", /Expected string, actual 5/],
    ["an extra envelope property", { ...base, seq: 4 }, "seq", /is unexpected/],
    ["a missing body", { ...base, body: undefined }, "body", /Expected \{ readonly fields/],
  ])("refuses %s", (_name, input, path, reason) => {
    expectInvalid(input, path, reason);
  });

  it.each<[string, unknown, Parameters<typeof makeOp>[0], string, RegExp]>([
    [
      "a text field in create",
      { fields: { name: "A", memo: "hello" } },
      {},
      "body.fields.memo",
      /memo is a text field of code: write it with text ops/,
    ],
    [
      "content in a source create",
      { fields: { content: "x" } },
      { target: { type: "source", id: "s" } },
      "body.fields.content",
      /text field of source/,
    ],
    ["a text field in set", { field: "memo", value: "hi" }, { kind: "set" }, "body.field", /text field of code/],
    ["an unknown field in set", { field: "colour", value: "#000000" }, { kind: "set" }, "body.field", /code has no field "colour"/],
    ["an unknown field in create", { fields: { size: 3 } }, {}, "body.fields.size", /code has no field "size"/],
    ["a bad value in set", { field: "color", value: "#ff00zz" }, { kind: "set" }, "body.value", /expected #RRGGBB, got "#ff00zz"/],
    ["a name that is not trimmed", { fields: { name: "Anger " } }, {}, "body.fields.name", /whitespace/],
    ["a name that is an object", { fields: { name: { en: "Anger" } } }, {}, "body.fields.name", /expected a name/],
    ["a NaN value", { field: "name", value: Number.NaN }, { kind: "set" }, "body.value", /.+/],
    ["a set without value", { field: "name" }, { kind: "set" }, "body.value", /missing/i],
    ["an extra body property", { field: "name", value: "A", prev: [] }, { kind: "set" }, "body.prev", /is unexpected/],
    [
      "a segment create without end",
      { fields: { code: "c", source: "s", start: 0 } },
      { target: { type: "segment", id: "g" } },
      "body.fields.end",
      /a segment create must set end/,
    ],
    [
      "a segment create with a bad anchor",
      { fields: { code: "c", source: "s", start: 0, end: "%%%" } },
      { target: { type: "segment", id: "g" } },
      "body.fields.end",
      /anchor/,
    ],
    [
      "a segment set of source",
      { field: "source", value: "s2" },
      { kind: "set", target: { type: "segment", id: "g" } },
      "body.field",
      /segment's source is fixed at creation/,
    ],
    [
      "a segment set of start",
      { field: "start", value: 3 },
      { kind: "set", target: { type: "segment", id: "g" } },
      "body.field",
      /segment's start is fixed at creation/,
    ],
    [
      "a segment set of end",
      { field: "end", value: 3 },
      { kind: "set", target: { type: "segment", id: "g" } },
      "body.field",
      /segment's end is fixed at creation/,
    ],
    [
      "a text op on a register",
      { field: "name", update: "AQID" },
      { kind: "text" },
      "body.field",
      /"name" is not a text field of code \(text fields: memo\)/,
    ],
    [
      "a text op with a non-base64 update",
      { field: "memo", update: "not base64" },
      { kind: "text" },
      "body.update",
      /expected non-empty base64/,
    ],
    ["a text op with an empty update", { field: "memo", update: "" }, { kind: "text" }, "body.update", /expected non-empty base64/],
    ["a delete with a body", { reason: "dup" }, { kind: "delete" }, "body.reason", /is unexpected/],
    ["a move to an empty parent", { parent: "" }, { kind: "move" }, "body.parent", /non-empty/],
    ["a link without source", {}, { kind: "link" }, "body.source", /missing/i],
    ["an unlink with adds that is not an array", { adds: HLC }, { kind: "unlink" }, "body.adds", /Expected ReadonlyArray/],
    ["a merge into a number", { into: 5 }, { kind: "merge" }, "body.into", /Expected string/],
    ["a resolve without conflict", {}, { kind: "resolve" }, "body.conflict", /missing/i],
    ["a create whose fields are an array", { fields: [] }, {}, "body.fields", /Expected/],
  ])("refuses %s", (_name, body, init, path, reason) => {
    expectInvalid(withBody(body, init), path, reason);
  });

  it("refuses a __proto__ field from parsed JSON instead of dropping it", () => {
    const input = JSON.parse(
      `{"v":1,"id":"${HLC}","project":"project-1","replica":"${REPLICA}","actor":"a","hlc":"${HLC}",` +
        `"kind":"create","target":{"type":"code","id":"c"},"body":{"fields":{"__proto__":{"name":"x"}}}}`,
    ) as unknown;
    expectInvalid(input, "body.fields.__proto__", /"__proto__" is not allowed as a key/);
  });

  it("refuses a cyclic op instead of overflowing the stack", () => {
    const op = wire(makeOp({ kind: "set", hlc: HLC }));
    const body = op["body"] as Record<string, unknown>;
    body["value"] = body;
    expectInvalid(op, "body.value", /cycle/);
  });

  it.each<[string, Target, OpKind]>([
    ["move a case", { type: "case", id: "k" }, "move"],
    ["move a segment", { type: "segment", id: "g" }, "move"],
    ["link a code", { type: "code", id: "c" }, "link"],
    ["unlink a source", { type: "source", id: "s" }, "unlink"],
    ["merge a category", { type: "category", id: "c" }, "merge"],
    ["resolve on a code", { type: "code", id: "c" }, "resolve"],
    ["text on a folder", { type: "folder", id: "f" }, "text"],
    ["text on an attribute", { type: "attribute", id: "a" }, "text"],
  ])("refuses a kind that does not apply to the target type: %s", (_name, target, kind) => {
    const op = { ...wire(makeOp({ kind })), target };
    expectInvalid(op, "kind", new RegExp(`${kind} does not apply to a ${target.type}`));
  });

  it("refuses a body larger than MAX_BODY_BYTES, counted in UTF-8 bytes", () => {
    const overhead = '{"field":"memo","update":""}'.length;
    const op = wire(makeOp({ kind: "text" }));
    expectInvalid(
      { ...op, body: { field: "memo", update: textUpdateOfBase64Length("memo", MAX_BODY_BYTES - overhead + 4) } },
      "body",
      /262148 bytes of canonical JSON, more than the 262144 allowed; split/,
    );
    // 3 UTF-8 bytes per character: under the limit in UTF-16 units, over it in bytes.
    const attr = "€".repeat(Math.ceil(MAX_BODY_BYTES / 3));
    const setOp = wire(makeOp({ kind: "set", target: { type: "case", id: "k" }, body: { field: "attr:a1", value: "x" } }));
    expectInvalid({ ...setOp, body: { field: "attr:a1", value: attr } }, "body", /more than the 262144 allowed/);
  });
});

describe("OpDecodeError.check names the broken rule", () => {
  const base = wire(makeOp({ hlc: HLC }));
  const cyclic: Record<string, unknown> = { ...base, body: { fields: {} } };
  (cyclic["body"] as { fields: Record<string, unknown> }).fields["self"] = cyclic;

  it.each<[OpDecodeCheck, unknown]>([
    ["not-an-object", "op"],
    ["shape", { ...base, actor: 5 }],
    ["unsafe-data", cyclic],
    ["newer-version", { ...base, v: 2 }],
    ["unknown-kind", { ...base, kind: "split" }],
    ["id-not-hlc", { ...base, id: "x" }],
    ["wrong-replica", { ...base, replica: "0000000000000001" }],
    ["project-target", { ...base, target: { type: "project", id: "other" } }],
    ["kind-target", { ...base, kind: "merge", body: { into: "c2" }, target: { type: "case", id: "k" } }],
    [
      "too-large",
      { ...base, kind: "set", body: { field: "attr:a", value: "x".repeat(MAX_BODY_BYTES) }, target: { type: "case", id: "k" } },
    ],
    ["field", { ...base, body: { fields: { color: "red" } } }],
  ])("%s", (check, input) => {
    const result = decodeOp(input);
    expect(Either.isLeft(result) && result.left.check).toBe(check);
  });
});

describe("classifyOp", () => {
  it("returns a valid op", () => {
    const op = makeOp();
    expect(classifyOp(wire(op))).toEqual({ _tag: "valid", op });
  });

  it("keeps an op of a newer version as future, whatever its body", () => {
    const op = { ...wire(makeOp({ hlc: HLC })), v: 2, kind: "teleport", body: { anything: [1, 2] }, extra: true };
    expect(classifyOp(op)).toEqual({ _tag: "future", reason: "newer-version", id: HLC, hlc: HLC });
  });

  it("keeps a newer version without readable id or hlc as future", () => {
    expect(classifyOp({ v: 3 })).toEqual({ _tag: "future", reason: "newer-version" });
  });

  it("keeps an unknown kind in a readable v1 envelope as future", () => {
    const op = { ...wire(makeOp({ hlc: HLC })), kind: "split", body: { into: ["a", "b"] } };
    expect(classifyOp(op)).toEqual({ _tag: "future", reason: "unknown-kind", id: HLC, hlc: HLC });
  });

  it("refuses an unknown kind whose envelope is broken", () => {
    const op = { ...wire(makeOp({ hlc: HLC })), kind: "split", id: "not-the-hlc" };
    const result = classifyOp(op);
    expect(result._tag).toBe("invalid");
    if (result._tag === "invalid") expect(result.error.path).toBe("id");
  });

  it.each<[string, unknown]>([
    ["v 0", { ...wire(makeOp()), v: 0 }],
    ["v missing", { ...wire(makeOp()), v: undefined }],
    ["a bad colour", { ...wire(makeOp()), body: { fields: { color: "blue" } } }],
    ["a number", 1],
  ])("reports %s as invalid", (_name, input) => {
    const result = classifyOp(input);
    expect(result._tag).toBe("invalid");
    if (result._tag === "invalid") expect(result.error).toBeInstanceOf(OpDecodeError);
  });
});

const arbId = fc.stringMatching(/^[a-z][a-z0-9-]{0,11}$/);
const arbName = fc
  .string({ minLength: 1, maxLength: 40 })
  .map((s) => s.trim())
  .filter((s) => s !== "");
const arbBase64 = fc.uint8Array({ minLength: 1, maxLength: 30 }).map((b) => btoa(String.fromCharCode(...b)));
const arbAnchor = fc.oneof(fc.integer({ min: 0, max: 10_000 }), arbBase64);
const arbInit: fc.Arbitrary<Parameters<typeof makeOp>[0]> = fc.oneof(
  fc.record({
    target: fc.record({ type: fc.constant("code" as const), id: arbId }),
    body: fc.record({
      fields: fc.record(
        { name: arbName, color: fc.stringMatching(/^#[0-9a-f]{6}$/), parent: fc.option(arbId, { nil: null }) },
        { requiredKeys: [] },
      ),
    }),
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
    kind: fc.constant("set" as const),
    target: fc.record({ type: fc.constantFrom("case" as const, "source" as const), id: arbId }),
    body: fc.record({
      field: arbId.map((id) => `attr:${id}`),
      value: fc.oneof(fc.constant(null), fc.boolean(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string()),
    }),
  }),
  fc.record({
    kind: fc.constant("text" as const),
    target: fc.record({ type: fc.constant("journal" as const), id: arbId }),
    body: fc.record({ field: fc.constant("content"), update: arbTextUpdate("content") }),
  }),
  fc.record({
    kind: fc.constant("move" as const),
    target: fc.record({ type: fc.constantFrom("category" as const, "folder" as const), id: arbId }),
    body: fc.record({ parent: fc.option(arbId, { nil: null }) }),
    prev: fc.array(fc.string(), { maxLength: 3 }),
  }),
);

describe("decodeOp properties", () => {
  it("every valid op survives a JSON round trip unchanged, with the same hash", () => {
    fc.assert(
      fc.property(arbInit, (init) => {
        const op = makeOp(init);
        const decoded = expectValid(wire(op));
        // JSON has no -0: a register value of -0 arrives as 0 (seed -1180354700), with the same hash.
        expect(decoded).toEqual(JSON.parse(JSON.stringify(op)));
        expect(hashOp(decoded)).toBe(hashOp(op));
      }),
      { numRuns, ...(process.env.QC_SEED ? { seed: Number(process.env.QC_SEED) } : {}) },
    );
  });

  it("never throws on arbitrary input", () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        expect(Either.isLeft(decodeOp(input))).toBe(true);
        expect(classifyOp(input)._tag).not.toBe("valid");
      }),
      { numRuns },
    );
  });

  it("never throws on create fields parsed from arbitrary JSON, __proto__ keys included", () => {
    const op = wire(makeOp({ hlc: HLC }));
    const arbKey = fc.constantFrom("__proto__", "name", "constructor", "attr:x", "memo");
    const { tree } = fc.letrec((tie) => ({
      tree: fc.oneof(fc.jsonValue({ maxDepth: 1 }), fc.dictionary(arbKey, tie("tree"), { maxKeys: 3 })),
    }));
    fc.assert(
      fc.property(fc.dictionary(arbKey, tree, { maxKeys: 4 }), (fields) => {
        const input = JSON.parse(JSON.stringify({ ...op, body: { fields } })) as unknown;
        const result = classifyOp(input);
        expect(["valid", "invalid"]).toContain(result._tag);
        if (JSON.stringify(fields).includes('"__proto__"')) expect(result._tag).toBe("invalid");
      }),
      { numRuns },
    );
  });

  it("never throws when any part of a valid op is replaced by arbitrary JSON", () => {
    const op = wire(makeOp({ hlc: HLC, kind: "set", body: { field: "name", value: "A" } }));
    const paths = [
      ["v"],
      ["id"],
      ["hlc"],
      ["replica"],
      ["kind"],
      ["target"],
      ["target", "type"],
      ["body"],
      ["body", "field"],
      ["body", "value"],
      ["prev"],
    ];
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.jsonValue(), (path, value) => {
        const copy = wire(op);
        let node: Record<string, unknown> = copy;
        for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
        node[path[path.length - 1] ?? "v"] = value;
        const result = classifyOp(copy);
        expect(["valid", "future", "invalid"]).toContain(result._tag);
      }),
      { numRuns },
    );
  });

  it("the decoded op of a valid input never shares the input's objects", () => {
    const input = wire(makeOp({ prev: [HLC], body: { fields: { name: "A" } } }));
    const decoded = expectValid(input);
    (input["body"] as { fields: Record<string, unknown> }).fields["name"] = "changed";
    expect(decoded.kind === "create" && decoded.body.fields["name"]).toBe("A");
  });
});

describe("HLC checks inside decodeOp", () => {
  it("accepts an op whose hlc and id were made by formatHlc for its replica", () => {
    const hlc = formatHlc({ wallMs: Date.UTC(2026, 10, 25), counter: 0xffff, replica: REPLICA });
    expectValid({ ...wire(makeOp()), id: hlc, hlc });
  });
});
