/**
 * The materialiser against the independent reference model
 * (testing/reference-model/): for random multi-replica histories
 * (simulation.ts), every replica — with the ops it made and received, and
 * after receiving every op, late ones included, through the incremental
 * path — shows exactly the facts the model derives from the op set it holds: live entities, fields, texts, effective parents, alias
 * chains, segment ranges, links and conflicts with their kinds, details and
 * resolved flags. A second property adds ops only a buggy or hostile peer
 * sends (hostile-ops.ts). Runs: QC_PROPERTY_RUNS (default 200); fast-check
 * prints the seed and path of a failure.
 */
import fc from "fast-check";
import * as Y from "yjs";
import { describe, expect, it } from "vitest";
import { EMPTY_YJS_UPDATE, makeOp } from "../testing/pure/op-builder.js";
import type { Op } from "../op/op.js";
import { focusedScenarioArb } from "../testing/reference-model/focused-scenarios.js";
import { hostileOps, hostilePicksArb, UNREADABLE_UPDATES } from "../testing/reference-model/hostile-ops.js";
import { materialisedFacts, referenceFacts } from "../testing/reference-model/index.js";
import type { Facts } from "../testing/reference-model/index.js";
import { scenarioArb, withScript } from "../testing/scenarios.js";
import type { Scenario } from "../testing/scenarios.js";
import { deliver } from "../testing/simulation.js";
import { at, ingest, openTestDb } from "../testing/materialiser-db.js";

const numRuns = Number(process.env["QC_PROPERTY_RUNS"] ?? 200);
const timeout = Math.max(120_000, numRuns * 1_000);

/**
 * Each replica's facts against the model of the ops it holds; then every op
 * of the script (plus `extra`, in a later batch) delivered to replica 0, and
 * its facts against the model's.
 */
function compareAfterScript(s: Scenario, extra: (ops: ReadonlyArray<Op>) => Array<Op>): void {
  withScript(s, (replicas, ops) => {
    for (const r of replicas) expect(materialisedFacts(r.db)).toEqual(referenceFacts([...r.known.values()]));
    const [first, ...others] = replicas;
    if (first === undefined) throw new Error("the simulation has no replicas");
    for (const other of others) deliver(other, first);
    const late = extra(ops);
    ingest(first.db, late);
    expect(materialisedFacts(first.db)).toEqual(referenceFacts([...ops, ...late]));
  });
}

async function check<T>(arb: fc.Arbitrary<T>, body: (value: T) => void): Promise<void> {
  const property = fc.asyncProperty(arb, async (value) => {
    await new Promise((resolve) => setImmediate(resolve));
    body(value);
  });
  await fc.assert(property, { numRuns });
}

/** The materialiser's facts for `ops` equal the model's; returns them. */
function factsAgree(ops: ReadonlyArray<Op>): Facts {
  const db = openTestDb();
  try {
    ingest(db, ops);
    const facts = referenceFacts(ops);
    expect(materialisedFacts(db)).toEqual(facts);
    return facts;
  } finally {
    db.close();
  }
}

const entity = (facts: Facts, id: string) => facts.entities.find((e) => e.id === id);

describe("materialiser against the reference model", () => {
  it(
    "every replica shows the facts the reference model derives from the ops it holds, before and after receiving all of them",
    async () => {
      await check(scenarioArb, (s) => compareAfterScript(s, () => []));
    },
    timeout,
  );

  it(
    "so do histories heavy in text edits under segments, concurrent register writes and merges",
    async () => {
      await check(focusedScenarioArb, (s) => compareAfterScript(s, () => []));
    },
    timeout,
  );

  it(
    "so does a replica that also receives hostile ops (wrong-type references, never-created ids, empty prev, parent by set, anchors outside content, unreadable updates)",
    async () => {
      await check(fc.tuple(scenarioArb, hostilePicksArb), ([s, picks]) => compareAfterScript(s, (ops) => hostileOps(ops, picks)));
    },
    timeout,
  );
});

describe("reference model: hostile cases, one by one", () => {
  it("a source named as a folder's parent is skipped: the effective parent is the next live folder", () => {
    const facts = factsAgree([
      makeOp({ kind: "create", target: { type: "source", id: "s1" }, body: { fields: { name: "S1", kind: "pdf" } }, hlc: at(0) }),
      makeOp({
        kind: "create",
        target: { type: "source", id: "s2" },
        body: { fields: { name: "S2", kind: "pdf", parent: "s1" } },
        hlc: at(1),
      }),
    ]);
    expect(entity(facts, "s2")).toMatchObject({ effectiveParent: null, fields: { parent: "s1" } });
  });

  it("a segment anchored in another Yjs root than the source's content is not live", () => {
    const doc = new Y.Doc();
    doc.clientID = 7;
    doc.getText("content").insert(0, "some text");
    const update = Buffer.from(Y.encodeStateAsUpdate(doc)).toString("base64");
    const other = doc.getText("other");
    const anchor = (assoc: number) =>
      Buffer.from(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(other, 0, assoc))).toString("base64");
    doc.destroy();
    const facts = factsAgree([
      makeOp({ kind: "create", target: { type: "code", id: "c" }, body: { fields: { name: "C" } }, hlc: at(0) }),
      makeOp({ kind: "create", target: { type: "source", id: "s" }, body: { fields: { name: "S", kind: "text" } }, hlc: at(1) }),
      makeOp({ kind: "text", target: { type: "source", id: "s" }, body: { field: "content", update }, hlc: at(2) }),
      makeOp({
        kind: "create",
        target: { type: "segment", id: "g" },
        body: { fields: { code: "c", source: "s", start: anchor(0), end: anchor(-1) } },
        hlc: at(3),
      }),
    ]);
    expect(entity(facts, "g")).toMatchObject({ live: false });
    expect(entity(facts, "g")?.range).toBeUndefined();
  });

  it("a text update Yjs cannot read (stored before the decoder refused it) counts as absent", () => {
    const text = makeOp({
      kind: "text",
      target: { type: "source", id: "s" },
      body: { field: "content", update: EMPTY_YJS_UPDATE },
      hlc: at(1),
    });
    const facts = factsAgree([
      makeOp({ kind: "create", target: { type: "source", id: "s" }, body: { fields: { name: "S", kind: "text" } }, hlc: at(0) }),
      { ...text, body: { field: "content", update: UNREADABLE_UPDATES[0] as string } },
    ]);
    expect(entity(facts, "s")).toMatchObject({ live: true, fields: { name: "S" } });
    expect(entity(facts, "s")?.fields["content"]).toBeUndefined();
  });
});
