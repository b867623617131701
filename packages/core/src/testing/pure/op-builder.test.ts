import * as Either from "effect/Either";
import { describe, expect, it } from "vitest";
import { compareHlc, parseHlc } from "../../hlc.js";
import { DEFAULT_TEST_PROJECT, DEFAULT_TEST_REPLICA, EMPTY_YJS_UPDATE, makeOp, makeOpBuilder } from "./op-builder.js";
import { OpDecodeError, decodeOp } from "../../op/op-schema.js";
import { OP_KINDS } from "../../op/op.js";

const HLC = "2026-11-25T12:00:00.000Z-0000-1111111111111111";

describe("makeOp", () => {
  it.each(OP_KINDS.map((kind) => [kind] as const))("builds a valid default %s op", (kind) => {
    const op = makeOp({ kind });
    expect(op.kind).toBe(kind);
    expect(op.v).toBe(1);
    expect(op.id).toBe(op.hlc);
    expect(Either.isRight(decodeOp(op))).toBe(true);
  });

  it("targets the project entity for resolve and a case for link/unlink", () => {
    expect(makeOp({ kind: "resolve" }).target).toEqual({ type: "project", id: DEFAULT_TEST_PROJECT });
    expect(makeOp({ kind: "link" }).target.type).toBe("case");
    expect(makeOp({ kind: "unlink" }).target.type).toBe("case");
    expect(makeOp({ kind: "resolve", project: "p9" }).target).toEqual({ type: "project", id: "p9" });
  });

  it("fills per-type default bodies that are valid for the target", () => {
    const segment = makeOp({ target: { type: "segment", id: "g" } });
    expect(Object.keys(segment.body.fields).sort()).toEqual(["code", "end", "source", "start"]);
    const text = makeOp({ kind: "text", target: { type: "journal", id: "j" } });
    expect(text.body).toEqual({ field: "content", update: EMPTY_YJS_UPDATE });
    expect(makeOp({ kind: "set", target: { type: "segment", id: "g" } }).body.field).toBe("important");
  });

  it("gives successive ops strictly increasing HLCs", () => {
    const a = makeOp();
    const b = makeOp({ kind: "set" });
    const c = makeOp({ kind: "delete" });
    expect(compareHlc(a.hlc, b.hlc)).toBe(-1);
    expect(compareHlc(b.hlc, c.hlc)).toBe(-1);
    expect(parseHlc(a.hlc).replica).toBe(DEFAULT_TEST_REPLICA);
  });

  it("takes the replica from a given hlc", () => {
    const op = makeOp({ hlc: HLC });
    expect(op.id).toBe(HLC);
    expect(op.replica).toBe("1111111111111111");
  });

  it("stamps ops of a given replica with that replica's own clock", () => {
    const op = makeOp({ replica: "2222222222222222" });
    expect(op.hlc.endsWith("-2222222222222222")).toBe(true);
  });

  it("keeps prev and the other envelope fields it is given", () => {
    const op = makeOp({ kind: "set", prev: [HLC], actor: "ana", project: "p2", body: { field: "name", value: "A" } });
    expect(op.prev).toEqual([HLC]);
    expect(op.actor).toBe("ana");
    expect(op.project).toBe("p2");
    expect("prev" in makeOp()).toBe(false);
  });

  it("throws the decoder's error for an invalid op", () => {
    expect(() => makeOp({ body: { fields: { color: "red" } } })).toThrow(OpDecodeError);
    expect(() => makeOp({ body: { fields: { color: "red" } } })).toThrow(/body\.fields\.color: expected #RRGGBB/);
    expect(() => makeOp({ hlc: HLC, replica: "2222222222222222" })).toThrow(/must end in the op's replica/);
  });
});

describe("makeOpBuilder", () => {
  it("uses its own defaults and clock", () => {
    let now = Date.UTC(2030, 0, 1);
    const build = makeOpBuilder({ project: "p", replica: "3333333333333333", actor: "bo", now: () => now });
    const first = build();
    expect(first).toMatchObject({
      project: "p",
      replica: "3333333333333333",
      actor: "bo",
      hlc: "2030-01-01T00:00:00.000Z-0000-3333333333333333",
    });
    now -= 1000;
    expect(compareHlc(build().hlc, first.hlc)).toBe(1);
  });

  it("gives two builders independent clocks", () => {
    const one = makeOpBuilder();
    const two = makeOpBuilder();
    expect(one().hlc).toBe(two().hlc);
  });
});
