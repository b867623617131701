/**
 * A real replica receiving what a hostile or buggy peer sends (issue 7,
 * items 1, 2, 3, 12), through `sync.ingest` and `sync.ingestPage`: the bad
 * op is quarantined with the decoder's reason, the good ops of the same
 * batch apply, the cursor moves on, and every read keeps working.
 */
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { makeOpBuilder } from "./testing/pure/op-builder.js";
import { createReplica, type Replica } from "./replica.js";
import { textInsertUpdate } from "./testing/yjs-updates.js";

const numRuns = Number(process.env["QC_PROPERTY_RUNS"] ?? 200);
const open: Array<Replica> = [];
afterEach(() => {
  for (const r of open.splice(0)) r.close();
});

function replica(): Replica {
  const r = createReplica(":memory:", { actor: "alice" });
  open.push(r);
  return r;
}

function nested(levels: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = [value];
  return value;
}

const wire = (op: unknown): Record<string, unknown> => JSON.parse(JSON.stringify(op)) as Record<string, unknown>;

describe("a replica ingesting hostile ops", () => {
  it("a text op whose update is base64 but not a Yjs update, as the field's first update: quarantined; the batch and every read go on", () => {
    const r = replica();
    const peer = makeOpBuilder({ project: r.project, replica: "bbbbbbbbbbbbbbbb" });
    const create = peer({ target: { type: "code", id: "c" }, body: { fields: { name: "Anger" } } });
    const bad = { ...wire(peer({ kind: "text", target: { type: "code", id: "c" } })), body: { field: "memo", update: "AQID" } };
    const rename = peer({ kind: "set", target: { type: "code", id: "c" }, body: { field: "name", value: "Rage" } });
    const identity = { deployment: "memory:x", project: r.project, stream: "s1" };
    expect(r.sync.ingestPage([create, bad, rename], { identity, seq: 3 })).toEqual({ applied: 2, duplicates: 0, quarantined: 1 });
    expect(r.read.quarantine()).toEqual([
      expect.objectContaining({
        id: (bad as Record<string, unknown>)["id"],
        reason: "invalid",
        detail: expect.stringMatching(/body.update: not a Yjs text update/) as unknown,
      }),
    ]);
    expect(r.read.entity("code", "c")?.fields["name"]).toBe("Rage");
    expect(r.read.verify()).toMatchObject({ ok: true });
    r.read.canonicalState();
    const memo = peer({
      kind: "text",
      target: { type: "code", id: "c" },
      body: { field: "memo", update: textInsertUpdate("memo", "later") },
    });
    expect(r.sync.ingestPage([memo], { identity, seq: 4 })).toEqual({ applied: 1, duplicates: 0, quarantined: 0 });
    expect(r.read.entity("code", "c")?.fields["memo"]).toBe("later");
  });

  it("random byte strings as text updates never stop ingest and never make a read throw", () => {
    const r = replica();
    const peer = makeOpBuilder({ project: r.project, replica: "cccccccccccccccc" });
    r.sync.ingest([peer({ target: { type: "code", id: "c" }, body: { fields: { name: "C" } } })]);
    let names = 0;
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 48 }), (bytes) => {
        const bad = {
          ...wire(peer({ kind: "text", target: { type: "code", id: "c" } })),
          body: { field: "memo", update: Buffer.from(bytes).toString("base64") },
        };
        names++;
        const good = peer({ kind: "set", target: { type: "code", id: "c" }, body: { field: "name", value: `C${names}` } });
        const result = r.sync.ingest([bad, good]);
        expect(result.applied).toBeGreaterThanOrEqual(1);
        expect(r.read.entity("code", "c")?.fields["name"]).toBe(`C${names}`);
        r.read.canonicalState();
      }),
      { numRuns },
    );
    expect(r.read.verify()).toMatchObject({ ok: true });
  });

  it("a register value nested 5,000 levels is quarantined as too deep; the good op of the batch applies (no RangeError)", () => {
    const r = replica();
    const peer = makeOpBuilder({ project: r.project, replica: "dddddddddddddddd" });
    const good = peer({ kind: "create", target: { type: "case", id: "k" }, body: { fields: { name: "K" } } });
    const deep = {
      ...wire(peer({ kind: "set", target: { type: "case", id: "k" }, body: { field: "attr:a", value: 1 } })),
      body: { field: "attr:a", value: nested(5000) },
    };
    expect(r.sync.ingest([deep, good])).toEqual({ applied: 1, duplicates: 0, quarantined: 1 });
    expect(r.read.quarantine()[0]?.detail).toMatch(/nested more than 64 levels deep/);
    expect(r.read.entity("case", "k")?.live).toBe(true);
  });

  it("an oversized op (1.2 MB target id, 900 long prev ids, a 1.2 MB future op) is quarantined as too large", () => {
    const r = replica();
    const peer = makeOpBuilder({ project: r.project, replica: "eeeeeeeeeeeeeeee" });
    const base = () => wire(peer({ kind: "set", body: { field: "name", value: "N" } }));
    const ops = [
      { ...base(), target: { type: "code", id: "x".repeat(1_200_000) } },
      { ...base(), prev: new Array<string>(900).fill("p".repeat(1300)) },
      { ...base(), v: 2, notes: "n".repeat(1_200_000) },
    ];
    expect(r.sync.ingest(ops)).toEqual({ applied: 0, duplicates: 0, quarantined: 3 });
    for (const entry of r.read.quarantine()) expect(entry.detail).toMatch(/more than the 393216 allowed/);
  });

  it("an op whose actor carries a bidi override is quarantined", () => {
    const r = replica();
    const peer = makeOpBuilder({ project: r.project, replica: "ffffffffffffffff" });
    const spoof = { ...wire(peer({ kind: "delete" })), actor: "\u202Eecila" };
    expect(r.sync.ingest([spoof])).toEqual({ applied: 0, duplicates: 0, quarantined: 1 });
    expect(r.read.quarantine()[0]?.detail).toMatch(/actor: the actor name contains a bidi control/);
  });
});

describe("openReplica's actor option", () => {
  it("normalises to NFC and trims, so the ops carry the name peers accept", () => {
    const r = createReplica(":memory:", { actor: " Jose\u0301 " });
    open.push(r);
    expect(r.actor).toBe("Jos\u00E9");
    r.commands.createCase({ name: "K" });
    expect(r.sync.opsAfter().every((op) => op.actor === "Jos\u00E9")).toBe(true);
  });

  it.each([
    ["a bidi override", "alice\u202E"],
    ["a zero-width joiner", "al\u200Dice"],
    ["a newline", "alice\nbob"],
  ])("refuses %s", (_name, actor) => {
    expect(() => createReplica(":memory:", { actor })).toThrow(/openReplica's actor .* cannot name a member: the actor name contains/);
  });
});
