/**
 * Checkpoints (checkpoints.ts): "state at T" and `verify` from a checkpoint
 * equal a full replay, whatever order the ops arrived in; damaged or stale
 * checkpoints are never trusted; the op log is never touched.
 *
 * Property runs: QC_PROPERTY_RUNS (default 40); seed: QC_PROPERTY_SEED (printed).
 */
import fc from "fast-check";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { generateOps } from "../../bench/workload.js";
import { stateAt } from "../history/state-at.js";
import type { Op } from "../op/op.js";
import { createReplica, type Replica } from "../replica.js";
import { replicaDb } from "../testing/replica-db.js";
import { makeTempDir } from "../testing/temp-dir.js";
import { listCheckpoints, takeCheckpoint, updateCheckpoints } from "./checkpoints.js";
import { allOpRows, opsUpTo } from "./ops-store.js";
import { replayState } from "./replay.js";
import { verifyState } from "./verify.js";

const RUNS = Number(process.env.QC_PROPERTY_RUNS ?? 40);
const SEED = Number(process.env.QC_PROPERTY_SEED ?? Date.now() % 2_147_483_647);
const PROJECT = "checkpoint-project";

const open: Array<Replica> = [];
afterEach(() => {
  for (const r of open.splice(0)) r.close();
});

function replica(actor = "carol"): Replica {
  const r = createReplica(":memory:", { actor, project: PROJECT });
  open.push(r);
  return r;
}

/**
 * Two researchers renaming the same codes without seeing each other's
 * rename: concurrent-edit conflicts, whose detail the materialiser reads
 * back from the log (the path a checkpoint's `ops` view serves).
 */
function concurrentRenames(): ReadonlyArray<Op> {
  const alice = replica("alice");
  const bob = replica("bob");
  const codes = ["Hope", "Fear", "Joy"].map((name) => alice.commands.createCode({ name, color: "#aa0000" }));
  bob.sync.ingest(alice.sync.opsAfter());
  codes.forEach((code, i) => {
    alice.commands.rename("code", code, `alice ${i}`);
    bob.commands.rename("code", code, `bob ${i}`);
  });
  alice.sync.ingest(bob.sync.opsAfter());
  expect(alice.read.conflicts().filter((c) => c.kind === "concurrent-edit")).toHaveLength(codes.length);
  return alice.sync.opsAfter();
}

function fullReplayAt(r: Replica, hlc: string): string {
  return replayState(opsUpTo(replicaDb(r), hlc));
}

describe("checkpoints of materialised state", () => {
  it("stateAt and verify from checkpoints equal a full replay, for random late-arrival orders and times", () => {
    console.log(`checkpoint properties: seed ${SEED}, ${RUNS} runs (QC_PROPERTY_SEED / QC_PROPERTY_RUNS to change)`);
    const ops = [...generateOps({ project: PROJECT, count: 120, seed: 5 }), ...concurrentRenames()];
    const hlcs = ops.map((op) => op.hlc).sort();
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: ops.length, maxLength: ops.length }),
        fc.array(fc.integer({ min: 1, max: 25 }), { minLength: 1, maxLength: 20 }),
        fc.integer({ min: 1, max: 30 }),
        fc.array(fc.integer({ min: -1, max: hlcs.length }), { minLength: 1, maxLength: 6 }),
        (keys, chunkSizes, every, timeIndexes) => {
          // Arrival order: ops sorted by a random key, so late ops (older HLCs) arrive after newer ones.
          const arrival = ops.map((op, i) => ({ op, key: keys[i] ?? 0 })).sort((a, b) => a.key - b.key);
          const r = replica();
          const db = replicaDb(r);
          for (let at = 0, c = 0; at < arrival.length; c++) {
            const size = chunkSizes[c % chunkSizes.length] ?? 1;
            r.sync.ingest(arrival.slice(at, at + size).map((a) => a.op));
            at += size;
            if (c % 3 === 2) takeCheckpoint(db);
            else updateCheckpoints(db, every);
          }
          expect(listCheckpoints(db).length).toBeGreaterThan(0);
          for (const index of timeIndexes) {
            // -1: before every op; hlcs.length: after every op; else exactly at an op's HLC.
            const t = index < 0 ? "2000-01-01T00:00:00.000Z-0000-0000000000000000" : (hlcs[Math.min(index, hlcs.length - 1)] as string);
            expect(stateAt(db, t)).toBe(fullReplayAt(r, t));
          }
          const verified = verifyState(db);
          expect(verified).toEqual({ ok: true, from: listCheckpoints(db).at(-1)?.seq });
          expect(verifyState(db, { full: true })).toEqual({ ok: true });
        },
      ),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it("never changes the op log", () => {
    const r = replica();
    r.sync.ingest([...generateOps({ project: PROJECT, count: 60, seed: 9 })]);
    const db = replicaDb(r);
    const before = allOpRows(db);
    expect(updateCheckpoints(db, 10)).toBe(6);
    expect(takeCheckpoint(db)).toBeUndefined(); // already checkpointed at the end
    expect(allOpRows(db)).toEqual(before);
  });

  it("a damaged checkpoint fails verify with a clear message, and stateAt does not use it", () => {
    const r = replica();
    const ops = [...generateOps({ project: PROJECT, count: 60, seed: 11 })];
    r.sync.ingest(ops);
    const db = replicaDb(r);
    updateCheckpoints(db, 20);
    const last = listCheckpoints(db).at(-1)!;
    db.prepare("UPDATE checkpoints SET snapshot = zeroblob(length(snapshot)) WHERE seq = ?").run(last.seq);

    const result = verifyState(db);
    expect(result.ok).toBe(false);
    expect(result.diff).toMatch(
      new RegExp(`checkpoint\\(s\\) at op ${last.seq} do not match their stored hash .* run verify\\(\\{ full: true \\}\\)`),
    );
    expect(verifyState(db, { full: true })).toMatchObject({ ok: false, diff: expect.stringMatching(`at op ${last.seq} `) });
    const end = ops
      .map((op) => op.hlc)
      .sort()
      .at(-1)!;
    expect(stateAt(db, end)).toBe(fullReplayAt(r, end));
    expect(stateAt(db, end)).toBe(r.read.canonicalState());
  });

  it("verify from a checkpoint still finds live tables that differ from the log", () => {
    const r = replica();
    r.sync.ingest([...generateOps({ project: PROJECT, count: 40, seed: 13 })]);
    const db = replicaDb(r);
    updateCheckpoints(db, 10);
    db.prepare(
      "UPDATE m_registers SET value = '\"tampered\"' WHERE (type, id, field) = (SELECT type, id, field FROM m_registers LIMIT 1)",
    ).run();
    const result = verifyState(db);
    expect(result.ok).toBe(false);
    expect(result.diff).toContain("tampered");
  });

  it("ignores checkpoints of another materialiser version", () => {
    const r = replica();
    r.sync.ingest([...generateOps({ project: PROJECT, count: 30, seed: 17 })]);
    const db = replicaDb(r);
    updateCheckpoints(db, 10);
    db.prepare("UPDATE checkpoints SET materialiser_version = materialiser_version - 1").run();
    expect(listCheckpoints(db)).toEqual([]);
    expect(verifyState(db)).toEqual({ ok: true });
  });

  it("a replica takes its due checkpoints on demand, and read.verify uses them", () => {
    const r = replica();
    r.sync.ingest([...generateOps({ project: PROJECT, count: 30, seed: 19 })]);
    expect(r.updateCheckpoints()).toBe(0); // fewer ops than CHECKPOINT_EVERY: none due
    takeCheckpoint(replicaDb(r));
    r.commands.createCode({ name: "Later", color: "#00aa00" });
    expect(r.read.verify()).toEqual({ ok: true, from: 30 });
    expect(r.read.verify({ full: true })).toEqual({ ok: true });
  });

  it("read.asOf gives the trees with segment counts from a checkpoint, as a replay of the log up to then gives them", () => {
    const r = replica();
    const hope = r.commands.createCode({ name: "Hope", color: "#aa0000" });
    const source = r.commands.importTextSource({ name: "Ann", text: "I hope the water goes down." });
    r.commands.codeSegment({ code: hope, source, start: 2, end: 6 });
    takeCheckpoint(replicaDb(r));
    r.commands.rename("code", hope, "Hopefulness");
    r.commands.codeSegment({ code: hope, source, start: 0, end: 1 });
    const then = r.read.lastHlc()!;
    r.commands.rename("code", hope, "Later name");
    const past = r.read.asOf(then, { state: true });
    const replayed = replica();
    replayed.sync.ingest(opsUpTo(replicaDb(r), then));
    expect(past.codes).toEqual(replayed.read.tree("codes"));
    expect(past.codes).toEqual([expect.objectContaining({ name: "Hopefulness", segments: 2 })]);
    expect(past.sources).toEqual(replayed.read.tree("sources"));
    expect(past.state).toBe(fullReplayAt(r, then));
    // The dump of every table is built only when asked for; the trees are the same without it.
    const treesOnly = r.read.asOf(then);
    expect(treesOnly.state).toBeUndefined();
    expect(treesOnly.codes).toEqual(past.codes);
  });

  it("refuses an interval that is not a whole number of ops", () => {
    const db = replicaDb(replica());
    expect(() => updateCheckpoints(db, 0)).toThrow(/checkpoint interval must be a whole number of ops >= 1, got 0/);
    expect(() => updateCheckpoints(db, 2.5)).toThrow(/got 2.5/);
  });

  describe("verify of a project file (live tables compared in SQL with the rebuilt state attached)", () => {
    const dir = makeTempDir("qc-checkpoints-");
    afterAll(() => dir.remove());
    let files = 0;

    function fileReplica(): Replica {
      const r = createReplica(dir.path(`project-${files++}.db`), { actor: "carol", project: PROJECT });
      open.push(r);
      r.sync.ingest([...generateOps({ project: PROJECT, count: 80, seed: 23 })]);
      updateCheckpoints(replicaDb(r), 20);
      r.commands.createCode({ name: "After the checkpoint", color: "#00aa00" });
      return r;
    }

    it("is ok, from the latest checkpoint, when the tables match the log", () => {
      const r = fileReplica();
      expect(r.read.verify()).toEqual({ ok: true, from: 80 });
    });

    it("finds a register that differs from the log, and says what differs", () => {
      const r = fileReplica();
      replicaDb(r)
        .prepare(
          "UPDATE m_registers SET value = '\"tampered\"' WHERE (type, id, field) = (SELECT type, id, field FROM m_registers LIMIT 1)",
        )
        .run();
      const result = r.read.verify();
      expect(result).toMatchObject({ ok: false, from: 80 });
      expect(result.diff).toContain("tampered");
    });

    it("finds a text whose Yjs state differs from the log", () => {
      const r = fileReplica();
      const db = replicaDb(r);
      const texts = db.prepare("SELECT type, id, field FROM m_texts ORDER BY type, id, field").raw().all() as Array<
        [string, string, string]
      >;
      expect(texts.length).toBeGreaterThan(1);
      // Another text's bytes under this text's key: same field name, so it decodes, but to other content.
      const [first, second] = texts.filter(([, , field]) => field === texts[0]?.[2]);
      expect(second).toBeDefined();
      db.prepare(
        "UPDATE m_texts SET state = (SELECT state FROM m_texts WHERE (type, id, field) = (?, ?, ?)) WHERE (type, id, field) = (?, ?, ?)",
      ).run(...second!, ...first!);
      expect(r.read.verify()).toMatchObject({ ok: false, from: 80 });
    });

    it("finds a missing text row", () => {
      const r = fileReplica();
      replicaDb(r).prepare("DELETE FROM m_texts WHERE (type, id, field) = (SELECT type, id, field FROM m_texts LIMIT 1)").run();
      expect(r.read.verify()).toMatchObject({ ok: false, from: 80 });
    });

    it("fails on a damaged latest checkpoint", () => {
      const r = fileReplica();
      replicaDb(r).prepare("UPDATE checkpoints SET snapshot = zeroblob(length(snapshot)) WHERE seq = 80").run();
      expect(r.read.verify()).toMatchObject({ ok: false, diff: expect.stringMatching("at op 80 do not match their stored hash") });
    });
  });
});
