import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatHlc, MAX_WALL_MS, parseHlc } from "../hlc.js";
import { arbitraryHlc as hlcArb } from "../testing/arbitrary.js";
import { canonicalJson } from "../op/canonical.js";
import { ENTITY_TYPES, OP_KINDS } from "../op/op.js";
import { makeOpBuilder } from "../testing/pure/op-builder.js";
import { packBody, unpackBody, type BodyContext, type PackedOp } from "./op-body.js";
import { packTokens } from "./op-body-tokens.js";

/** The first character of an envelope-form body (op-body.ts). */
const ENVELOPE_MARK = "\x09";
const numRuns = Number(process.env["QC_PROPERTY_RUNS"] ?? 200);
const text = fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.constantFrom('"', "\\", "-", "T", ""));
const ctxOf = (op: PackedOp): BodyContext => ({ hlc: op.hlc, project: op.project, targetId: op.target.id, actor: op.actor });

/** Mostly `usual`, now and then `odd`. */
const mostly = <T, U>(usual: fc.Arbitrary<T>, odd: fc.Arbitrary<U>): fc.Arbitrary<T | U> =>
  fc.oneof({ arbitrary: usual, weight: 9 }, { arbitrary: odd, weight: 1 });

/** An HLC near `hlc` (same or other replica, earlier or later, up to the ends of wall time), or now and then any string. */
function relatedHlc(hlc: string): fc.Arbitrary<string> {
  const own = parseHlc(hlc);
  const near = fc
    .record({
      wallMs: fc.oneof(
        fc.integer({ min: Math.max(0, own.wallMs - 100_000_000), max: Math.min(MAX_WALL_MS, own.wallMs + 10) }),
        fc.constantFrom(0, MAX_WALL_MS),
      ),
      counter: fc.integer({ min: 0, max: 0xffff }),
      replica: fc.oneof(fc.constant(own.replica), fc.stringMatching(/^[0-9a-f]{16}$/)),
    })
    .map(formatHlc);
  return mostly(fc.oneof(near, hlcArb), text);
}

/** An op as the log may hold one: as a rule a v1 envelope of any kind and type, now and then a future one (any `prev`) or an extra property. */
const arbitraryStoredOp = hlcArb.chain((hlc) =>
  fc.record(
    {
      v: mostly(fc.constant(1), fc.constant(2)),
      actor: text,
      body: fc.jsonValue(),
      hlc: fc.constant(hlc),
      id: mostly(fc.constant(hlc), hlcArb),
      kind: mostly(fc.constantFrom(...OP_KINDS), fc.constant("annotate")),
      prev: mostly(fc.array(relatedHlc(hlc), { maxLength: 4 }), fc.jsonValue()),
      project: text,
      replica: mostly(fc.constant(hlc.slice(-16)), fc.stringMatching(/^[0-9a-f]{16}$/)),
      target: fc.record({ id: text, type: mostly(fc.constantFrom(...ENTITY_TYPES), fc.constant("sticker")) }),
      undoes: relatedHlc(hlc),
      extra: fc.jsonValue(),
    },
    { requiredKeys: ["actor", "body", "hlc", "id", "kind", "project", "replica", "target", "v"] },
  ),
);

describe("op bodies", () => {
  it("give back exactly the canonical JSON of any op, v1 envelope or not, whatever its HLCs and the row's values", () => {
    let envelopes = 0;
    fc.assert(
      fc.property(arbitraryStoredOp, (op) => {
        const stored = op as unknown as PackedOp;
        const json = canonicalJson(op);
        const body = packBody(json, stored);
        if (body.startsWith(ENVELOPE_MARK)) envelopes++;
        expect(unpackBody(body, ctxOf(stored))).toBe(json);
      }),
      { numRuns },
    );
    // Both forms were exercised: the envelope form is no dead branch of the property.
    expect(envelopes).toBeGreaterThan(numRuns / 10);
    expect(envelopes).toBeLessThan(numRuns);
  });

  it("give back the JSON it was given even when the op passed beside it says otherwise", () => {
    fc.assert(
      fc.property(arbitraryStoredOp, arbitraryStoredOp, (op, other) => {
        const json = canonicalJson(op);
        // The row's values are op's (they are what the row holds); the envelope parts are another op's.
        const claimed = {
          ...(other as unknown as PackedOp),
          hlc: op.hlc,
          project: op.project,
          actor: op.actor,
          target: { ...other.target, id: op.target.id },
        };
        expect(unpackBody(packBody(json, claimed), ctxOf(claimed))).toBe(json);
      }),
      { numRuns },
    );
  });

  it("give back exactly any canonical JSON, with the row's values anywhere in it or nowhere", () => {
    fc.assert(
      fc.property(hlcArb, text, text, text, fc.jsonValue(), (hlc, project, targetId, actor, value) => {
        const op: PackedOp = { hlc, project, actor, kind: "set", target: { type: "code", id: targetId } };
        const json = canonicalJson({
          actor,
          body: { field: "name", value, also: [hlc, project, targetId] },
          hlc,
          id: hlc,
          kind: "set",
          project,
          v: 1,
        });
        expect(unpackBody(packBody(json, op), ctxOf(op))).toBe(json);
      }),
      { numRuns },
    );
  });

  it("hold a rename's envelope in a few bytes: with one prev, under 40 of its ~390 (the token form took ~75)", () => {
    const make = makeOpBuilder({
      project: "01a23aab-c040-75b8-8bd6-de3bfc70fcd3",
      replica: "0084a3b5301ab9b8",
      actor: "ana",
      now: () => 1_800_000_000_000,
    });
    const first = make({
      kind: "create",
      target: { type: "code", id: "01a23aab-c044-71a5-8ca5-3056f09a8045" },
      body: { fields: { name: "A" } },
    });
    const op = make({ kind: "set", target: first.target, body: { field: "name", value: "Renamed 0" }, prev: [first.id] });
    const json = canonicalJson(op);
    const body = packBody(json, op);
    expect(json.length).toBeGreaterThan(350);
    expect(Buffer.byteLength(body)).toBeLessThan(40);
    expect(Buffer.byteLength(packTokens(json, ctxOf(op)))).toBeGreaterThan(70);
    expect(unpackBody(body, ctxOf(op))).toBe(json);
    // An undo naming an op of another replica a day earlier, and a prev of two.
    const other = formatHlc({ ...parseHlc(first.hlc), wallMs: 1_800_000_000_000 - 86_400_000, replica: "ffffffffffffffff" });
    const undo = make({ kind: "set", target: first.target, body: { field: "name", value: "A" }, prev: [op.id, other], undoes: other });
    expect(unpackBody(packBody(canonicalJson(undo), undo), ctxOf(undo))).toBe(canonicalJson(undo));
  });

  it("keep a future version's op whose prev is no list in the token form (found by the property above before it landed)", () => {
    const hlc = formatHlc({ wallMs: 1_800_000_000_000, counter: 1, replica: "0084a3b5301ab9b8" });
    const op = {
      v: 2,
      actor: "ana",
      body: {},
      hlc,
      id: hlc,
      kind: "set",
      prev: 5,
      project: "p",
      replica: "0084a3b5301ab9b8",
      target: { id: "c", type: "code" },
    };
    const stored = op as unknown as PackedOp;
    const json = canonicalJson(op);
    expect(unpackBody(packBody(json, stored), ctxOf(stored))).toBe(json);
  });

  it("read bodies a file stored before schema 11 (the token form) as before", () => {
    const make = makeOpBuilder({ actor: "ana" });
    const op = make({
      kind: "set",
      target: { type: "code", id: "c1" },
      body: { field: "color", value: "#336699" },
      prev: [make({ kind: "create", target: { type: "code", id: "c1" }, body: { fields: {} } }).id],
    });
    const json = canonicalJson(op);
    expect(unpackBody(packTokens(json, ctxOf(op)), ctxOf(op))).toBe(json);
  });

  it("refuse JSON holding a raw control character (canonical JSON never does, and a body would misread it as a token) or an unterminated string", () => {
    const op: PackedOp = {
      hlc: formatHlc({ wallMs: 0, counter: 0, replica: "0".repeat(16) }),
      project: "p",
      actor: "a",
      kind: "set",
      target: { type: "code", id: "t" },
    };
    expect(() => packBody('{"a":"\x01"}', op)).toThrow(/raw control character/);
    expect(() => packBody('{"a":"b}', op)).toThrow(/unterminated string/);
    expect(unpackBody(packBody('{"actor":"a"}', op), ctxOf(op))).toBe('{"actor":"a"}');
  });
});
