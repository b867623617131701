/**
 * Crash tests on real SQLite files: a failure injected at a random write
 * (any INSERT/UPDATE/DELETE on any table, through a temp trigger calling a
 * JS function that throws) during an ingest or a command leaves the file
 * exactly as before — ops, entity tables, quarantine, acks, cursor — and a
 * retry reaches the same state as a replica that never crashed.
 */
import type Database from "better-sqlite3";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { arbitraryAction, runAction } from "./testing/arbitrary.js";
import { makeTempDir, type TempDir } from "./testing/temp-dir.js";
import { createReplica, openReplica, type Replica } from "./replica.js";
import { replicaDb } from "./testing/replica-db.js";

const RUNS = Math.max(1, Math.floor(Number(process.env.QC_PROPERTY_RUNS ?? 200) / 4));
const SEED = Number(process.env.QC_PROPERTY_SEED ?? Date.now() % 2_147_483_647);

let dir: TempDir | undefined;
const opened: Array<Replica> = [];
afterEach(() => {
  for (const r of opened.splice(0)) if (replicaDb(r).open) r.close();
  dir?.remove();
  dir = undefined;
});

function track(r: Replica): Replica {
  opened.push(r);
  return r;
}

/** Makes the `k`-th write (counting from now) throw; returns a switch to disarm it. */
function armCrash(db: Database.Database, k: number): { readonly disarm: () => void } {
  let writes = 0;
  let armed = true;
  db.function("qc_crash_point", () => {
    if (armed && ++writes === k) throw new Error("simulated crash");
    return 0;
  });
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    .pluck()
    .all() as Array<string>;
  for (const t of tables) {
    for (const ev of ["INSERT", "UPDATE", "DELETE"]) {
      db.exec(`CREATE TEMP TRIGGER IF NOT EXISTS crash_${t}_${ev} AFTER ${ev} ON main."${t}" BEGIN SELECT qc_crash_point(); END`);
    }
  }
  return { disarm: () => (armed = false) };
}

/** Everything persisted, as one comparable value. */
function fileState(r: Replica): string {
  const dump = (sql: string) => JSON.stringify(replicaDb(r).prepare(sql).raw().all());
  return [
    dump("SELECT * FROM ops ORDER BY seq"),
    dump("SELECT * FROM op_targets ORDER BY n"),
    dump("SELECT id, reason, raw_hash, released_at FROM quarantine ORDER BY qid"),
    dump("SELECT value FROM meta WHERE key = 'acked_through'"),
    dump("SELECT hlc FROM acks ORDER BY hlc"),
    dump("SELECT hlc FROM outbox_behind ORDER BY hlc"),
    dump("SELECT * FROM sync_cursor"),
    r.read.canonicalState(),
  ].join("\n");
}

const scenario = fc.record({
  actions: fc.array(arbitraryAction, { minLength: 3, maxLength: 15 }),
  split: fc.double({ min: 0, max: 1, noNaN: true }),
  crashAt: fc.integer({ min: 1, max: 400 }),
});

describe("a crash at any write leaves all of a transaction or none of it", () => {
  it("during ingestPage: the file is unchanged after the crash and a retry converges", async () => {
    console.log(`crash property: seed ${SEED}, ${RUNS} runs`);
    await fc.assert(
      fc.asyncProperty(scenario, async ({ actions, split, crashAt }) => {
        await new Promise((resolve) => setImmediate(resolve)); // let vitest's worker RPC breathe
        dir = makeTempDir("qc-crash-");
        try {
          const author = track(createReplica(":memory:", { actor: "alice", replica: "000000000000000a" }));
          for (const a of actions) runAction(author, a);
          const ops = author.sync.opsAfter();
          const cut = Math.floor(split * ops.length);
          const path = dir.path("bob.sqlite");
          const bob = createReplica(path, { actor: "bob", project: author.project, replica: "000000000000000b" });
          const identity = { deployment: "memory:crash", project: author.project, stream: "s" };
          bob.sync.ingestPage(ops.slice(0, cut), { identity, seq: cut });
          const before = fileState(bob);
          const crash = armCrash(replicaDb(bob), crashAt);
          const page = [...ops.slice(cut), { not: "an op" }];
          let crashed = false;
          try {
            bob.sync.ingestPage(page, { identity, seq: ops.length + 1 });
          } catch (error) {
            expect((error as Error).message).toContain("simulated crash");
            crashed = true;
          }
          crash.disarm();
          if (crashed) expect(fileState(bob)).toBe(before);
          bob.close();
          const reopened = track(openReplica(path, { actor: "bob" }));
          if (crashed) {
            expect(fileState(reopened)).toBe(before);
            reopened.sync.ingestPage(page, { identity, seq: ops.length + 1 });
          }
          expect(reopened.read.canonicalState()).toBe(author.read.canonicalState());
          expect(reopened.sync.syncCursor()?.seq).toBe(ops.length + 1);
          expect(reopened.read.verify()).toEqual({ ok: true });
        } finally {
          for (const r of opened.splice(0)) if (replicaDb(r).open) r.close();
          dir.remove();
          dir = undefined;
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
  }, 600_000);

  it("during a command: nothing of the edit is written, and the command works after reopening", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 40 }), async (crashAt) => {
        await new Promise((resolve) => setImmediate(resolve));
        dir = makeTempDir("qc-crash-");
        try {
          const path = dir.path("alice.sqlite");
          const alice = createReplica(path, { actor: "alice" });
          const src = alice.commands.importTextSource({ name: "Interview", text: "I hope so." });
          const code = alice.commands.createCode({ name: "Hope", color: "#00aa00" });
          const before = fileState(alice);
          armCrash(replicaDb(alice), crashAt);
          let crashed = false;
          try {
            alice.commands.codeSegment({ code, source: src, start: 2, end: 6 });
          } catch (error) {
            expect((error as Error).message).toContain("simulated crash");
            crashed = true;
          }
          if (crashed) expect(fileState(alice)).toBe(before);
          alice.close();
          const again = track(openReplica(path, { actor: "alice" }));
          if (crashed) {
            expect(fileState(again)).toBe(before);
            again.commands.codeSegment({ code, source: src, start: 2, end: 6 });
          }
          expect(again.read.entities("segment")).toHaveLength(1);
          expect(again.read.verify()).toEqual({ ok: true });
        } finally {
          for (const r of opened.splice(0)) if (replicaDb(r).open) r.close();
          dir.remove();
          dir = undefined;
        }
      }),
      { numRuns: 40, seed: SEED },
    );
  }, 600_000);
});
