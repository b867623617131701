import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatHlc } from "../hlc.js";
import { arbitraryHlc as hlcArb } from "../testing/arbitrary.js";
import { canonicalJson } from "../op/canonical.js";
import { makeOpBuilder } from "../testing/pure/op-builder.js";
import { packBody, unpackBody, type BodyContext } from "./op-body.js";

const numRuns = Number(process.env["QC_PROPERTY_RUNS"] ?? 200);

describe("op bodies", () => {
  it("give back exactly the canonical JSON of any value, whatever the row's values (which may occur anywhere in it, or not at all)", () => {
    const text = fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.constantFrom('"', "\\", "-", "T", ""));
    fc.assert(
      fc.property(hlcArb, text, text, text, fc.jsonValue(), (hlc, project, targetId, actor, value) => {
        const ctx: BodyContext = { hlc, project, targetId, actor };
        // The row's values inside the JSON as well, and fixed runs of the envelope.
        const json = canonicalJson({
          actor,
          body: { field: "name", value, also: [hlc, project, targetId] },
          hlc,
          id: hlc,
          kind: "set",
          project,
          v: 1,
        });
        expect(unpackBody(packBody(json, ctx), ctx)).toBe(json);
      }),
      { numRuns },
    );
  });

  it("hold an op's envelope in a few bytes: a rename with one prev is under 80 of its ~390", () => {
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
    const body = packBody(json, { hlc: op.hlc, project: op.project, targetId: op.target.id, actor: op.actor });
    expect(json.length).toBeGreaterThan(350);
    expect(Buffer.byteLength(body)).toBeLessThan(80);
  });

  it("refuse JSON holding a raw control character (canonical JSON never does, and a body would misread it as a token) or an unterminated string", () => {
    const ctx: BodyContext = {
      hlc: formatHlc({ wallMs: 0, counter: 0, replica: "0".repeat(16) }),
      project: "p",
      targetId: "t",
      actor: "a",
    };
    expect(() => packBody('{"a":"\x01"}', ctx)).toThrow(/raw control character/);
    expect(() => packBody('{"a":"b}', ctx)).toThrow(/unterminated string/);
    expect(unpackBody(packBody('{"actor":"a"}', ctx), ctx)).toBe('{"actor":"a"}');
  });
});
