/**
 * The bounds on a whole op (issue 7, items 2, 3, 12): nesting depth, id
 * lengths, `prev`, the whole canonical op and actor names. Each is refused
 * with a reason by `decodeOp` and `classifyOp` (future ops included) and by
 * the server's push check, which never throws.
 */
import * as Either from "effect/Either";
import { describe, expect, it } from "vitest";
import { makeOp } from "../testing/pure/op-builder.js";
import { classifyOp, decodeOp } from "./op-schema.js";
import type { OpDecodeCheck } from "./op-schema.js";
import { MAX_DEPTH, MAX_ID_LENGTH, MAX_OP_BYTES, MAX_PREV } from "./op.js";
import { checkPushedOp } from "./push-check.js";

const wire = (op: unknown): Record<string, unknown> => JSON.parse(JSON.stringify(op)) as Record<string, unknown>;
const NOW = Date.parse("2026-01-01T00:00:00.000Z");
const context = { project: "project-1", nowMs: NOW };

function nested(levels: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = [value];
  return value;
}

function expectRefused(input: unknown, check: OpDecodeCheck, path: string, reason: RegExp): void {
  const decoded = decodeOp(input);
  if (Either.isRight(decoded)) throw new Error("expected a refusal");
  expect([decoded.left.check, decoded.left.path]).toEqual([check, path]);
  expect(decoded.left.reason).toMatch(reason);
  const classified = classifyOp(input);
  expect(classified._tag).toBe("invalid");
  const pushed = checkPushedOp(input, 0, context);
  expect(pushed.ok).toBe(false);
  if (!pushed.ok) expect(pushed.message).toMatch(reason);
}

describe("nesting depth", () => {
  const set = wire(makeOp({ kind: "set", target: { type: "case", id: "k" }, body: { field: "attr:a", value: 1 } }));

  it("a register value nested 5,000 levels is refused, not a RangeError, by decodeOp, classifyOp and the push check", () => {
    expectRefused(
      { ...set, body: { field: "attr:a", value: nested(5000) } },
      "too-deep",
      expect.any(String) as never,
      /nested more than 64 levels deep/,
    );
  });

  it("counts the op itself as level 1: 64 levels pass the bound (and fail the domain), 65 do not", () => {
    // op (1) > body (2) > value (3): the value adds the rest.
    const at = (levels: number) => decodeOp({ ...set, body: { field: "attr:a", value: nested(levels - 2) } });
    const ok = at(MAX_DEPTH);
    expect(Either.isLeft(ok) && ok.left.check).toBe("field");
    const deep = at(MAX_DEPTH + 1);
    expect(Either.isLeft(deep) && deep.left.check).toBe("too-deep");
  });

  it("a future op (newer v) nested too deep is invalid, not kept as future", () => {
    const input = { ...set, v: 2, extra: nested(5000) };
    const classified = classifyOp(input);
    expect(classified._tag === "invalid" && classified.error.check).toBe("too-deep");
    expect(checkPushedOp(input, 3, context)).toMatchObject({
      ok: false,
      code: "invalid-op",
      message: expect.stringMatching(/op #3 of the batch/),
    });
  });
});

describe("ids and prev", () => {
  const base = wire(makeOp({ kind: "set", body: { field: "name", value: "N" } }));
  const long = "x".repeat(MAX_ID_LENGTH + 1);

  it.each<[string, Record<string, unknown>, string]>([
    ["a target.id one char over", { ...base, target: { type: "code", id: long } }, "target.id"],
    ["a project id one char over", { ...base, project: long }, "project"],
    ["a prev entry one char over", { ...base, prev: [long] }, "prev[0]"],
    ["a move parent one char over", { ...wire(makeOp({ kind: "move" })), body: { parent: long } }, "body.parent"],
    ["a merge target one char over", { ...wire(makeOp({ kind: "merge" })), body: { into: long } }, "body.into"],
    ["an unlink add one char over", { ...wire(makeOp({ kind: "unlink" })), body: { adds: [long] } }, "body.adds[0]"],
  ])("refuses %s", (_name, input, path) => {
    expectRefused(input, "shape", path, /expected at most 256 characters, got/);
  });

  it("refuses an entity id register (segment code, a parent in a create) one char over", () => {
    const segment = wire(makeOp({ target: { type: "segment", id: "s" }, body: { fields: { code: "c", source: "s", start: 0, end: 1 } } }));
    expectRefused(
      { ...segment, body: { fields: { code: long, source: "s", start: 0, end: 1 } } },
      "field",
      "body.fields.code",
      /at most 256 characters/,
    );
    const code = wire(makeOp({ body: { fields: { name: "C" } } }));
    expectRefused({ ...code, body: { fields: { name: "C", parent: long } } }, "field", "body.fields.parent", /at most 256 characters/);
  });

  it("accepts ids of exactly MAX_ID_LENGTH and MAX_PREV entries; refuses one entry more", () => {
    const id = "y".repeat(MAX_ID_LENGTH);
    expect(Either.isRight(decodeOp({ ...base, target: { type: "code", id }, prev: new Array<string>(MAX_PREV).fill(id) }))).toBe(true);
    expectRefused({ ...base, prev: new Array<string>(MAX_PREV + 1).fill("p") }, "shape", "prev", /expected at most 100 op ids, got 101/);
  });

  it("refuses a 1.2 MB target.id (the review's case) as too large an op", () => {
    expectRefused({ ...base, target: { type: "code", id: "x".repeat(1_200_000) } }, "too-large", "", /more than the 393216 allowed/);
  });

  it("refuses 900 prev ids of 1.3 KB (the review's case)", () => {
    expectRefused({ ...base, prev: new Array<string>(900).fill("p".repeat(1300)) }, "too-large", "", /more than the 393216 allowed/);
  });
});

describe("the whole op", () => {
  it("a future op with a 1.2 MB extra field is refused, though its body is small", () => {
    const future = { ...wire(makeOp({ kind: "delete" })), v: 2, notes: "n".repeat(1_200_000) };
    const classified = classifyOp(future);
    expect(classified._tag === "invalid" && [classified.error.check, classified.error.reason]).toEqual([
      "too-large",
      `the op is ${1_200_000 + JSON.stringify(future).length - 1_200_000} bytes of canonical JSON, more than the ${MAX_OP_BYTES} allowed`,
    ]);
    expect(checkPushedOp(future, 0, context)).toMatchObject({ ok: false, code: "invalid-op" });
  });

  it("a future op under the bound is still kept as future", () => {
    const future = { ...wire(makeOp({ kind: "delete" })), v: 2, notes: "n".repeat(1000) };
    expect(classifyOp(future)._tag).toBe("future");
  });
});

describe("actor names", () => {
  const base = wire(makeOp({ kind: "delete" }));

  it.each<[string, string, RegExp]>([
    ["a right-to-left override", "alice\u202Eecila", /a bidi control \(embedding or override\), U\+202E at index 5/],
    ["a first-strong isolate", "\u2068bob", /a bidi control \(isolate\), U\+2068 at index 0/],
    ["a right-to-left mark", "bob\u200F", /left-to-right or right-to-left mark/],
    ["a zero-width space", "al\u200Bice", /zero-width space or joiner/],
    ["a newline", "alice\nbob", /a control character, U\+000A/],
    ["a C1 control", "alice\u0085", /a control character, U\+0085/],
    ["a decomposed accent (not NFC)", "Jose\u0301", /not in Unicode NFC/],
    ["trailing whitespace", "alice ", /without leading or trailing whitespace/],
    ["a lone surrogate", "al\uD800ice", /lone surrogate at index 2/],
    ["201 characters", "a".repeat(201), /at most 200 characters, got 201/],
  ])("refuses %s", (_name, actor, reason) => {
    expectRefused({ ...base, actor }, "shape", "actor", reason);
  });

  it("accepts names in any script, NFC, with inner spaces and emoji", () => {
    for (const actor of ["José", "Zoë Müller", "李小龙", "محمد", "Ana 🦊", "o'brien-smith"]) {
      expect(Either.isRight(decodeOp({ ...base, actor })), actor).toBe(true);
    }
  });
});
