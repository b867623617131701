/**
 * Properties of replicas driven by random researcher commands and random
 * partial exchanges (docs/design.md §4 invariants):
 * - replicas that end up holding the same ops have the same state, and every
 *   op reached every replica;
 * - incremental apply equals a rebuild from the log (verify);
 * - the log is never rewritten: rows before a step are kept, byte for byte;
 * - local HLCs strictly exceed every HLC in the log before the command.
 * Runs: QC_PROPERTY_RUNS (default 200); seed: QC_PROPERTY_SEED (printed).
 */
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { arbitraryAction, runAction, type Action } from "./testing/arbitrary.js";
import { createReplica, type Replica } from "./replica.js";
import { replicaDb } from "./testing/replica-db.js";
import { allStoredJson } from "./op-log/ops-store.js";

const RUNS = Number(process.env.QC_PROPERTY_RUNS ?? 200);
const SEED = Number(process.env.QC_PROPERTY_SEED ?? Date.now() % 2_147_483_647);
const T = Date.UTC(2026, 10, 25, 9, 0, 0);

type Step =
  | { readonly cmd: number; readonly action: Action; readonly dt: number }
  | { readonly from: number; readonly to: number; readonly keep: number; readonly salt: number; readonly dt: number };

export interface Scenario {
  readonly replicas: number;
  /** Clock skew per replica in ms (inside the 5-minute drift bound). */
  readonly skews: ReadonlyArray<number>;
  readonly steps: ReadonlyArray<Step>;
}

const arbitraryStep = (n: number): fc.Arbitrary<Step> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.record({ cmd: fc.nat({ max: n - 1 }), action: arbitraryAction, dt: fc.nat({ max: 2000 }) }) },
    {
      weight: 1,
      arbitrary: fc.record({
        from: fc.nat({ max: n - 1 }),
        to: fc.nat({ max: n - 1 }),
        keep: fc.double({ min: 0, max: 1, noNaN: true }),
        salt: fc.nat(),
        dt: fc.nat({ max: 2000 }),
      }),
    },
  );

export const arbitraryScenario: fc.Arbitrary<Scenario> = fc.integer({ min: 2, max: 5 }).chain((n) =>
  fc.record({
    replicas: fc.constant(n),
    skews: fc.array(fc.integer({ min: -60_000, max: 60_000 }), { minLength: n, maxLength: n }),
    steps: fc.array(arbitraryStep(n), { maxLength: 30 }),
  }),
);

const opened: Array<Replica> = [];
afterEach(() => {
  for (const r of opened.splice(0)) r.close();
});

/** Runs a scenario, checking the per-step properties; returns the replicas after a full exchange. */
export function runScenario(s: Scenario): ReadonlyArray<Replica> {
  const now = { ms: T };
  const replicas = openAll(s, now);
  for (const step of s.steps) {
    now.ms += step.dt;
    if ("cmd" in step) commandStep(replicas[step.cmd]!, step.action);
    else exchangeStep(replicas[step.from]!, replicas[step.to]!, step.keep, step.salt);
  }
  fullExchange(replicas);
  return replicas;
}

function openAll(s: Scenario, now: { ms: number }): Array<Replica> {
  const replicas: Array<Replica> = [];
  for (let i = 0; i < s.replicas; i++) {
    const skew = s.skews[i] ?? 0;
    const replica = (i + 1).toString(16).padStart(16, "0");
    const project = replicas[0]?.project;
    const r = createReplica(":memory:", {
      actor: `researcher-${i}`,
      replica,
      clock: () => now.ms + skew,
      ...(project === undefined ? {} : { project }),
    });
    opened.push(r);
    replicas.push(r);
  }
  return replicas;
}

function commandStep(r: Replica, action: Action): void {
  const before = snapshot(r);
  const maxBefore = r.sync.opsAfter().at(-1)?.hlc ?? "";
  runAction(r, action);
  expectAppendOnly(before, snapshot(r));
  for (const op of r.sync.opsAfter(maxBefore)) expect(op.replica).toBe(r.replica);
  const fresh = r.sync.opsAfter(maxBefore);
  for (let i = 1; i < fresh.length; i++) expect(fresh[i]!.hlc > fresh[i - 1]!.hlc).toBe(true);
  expect(fresh.length).toBe(snapshot(r).length - before.length);
}

function exchangeStep(from: Replica, to: Replica, keep: number, salt: number): void {
  const before = snapshot(to);
  const ops = from.sync.opsAfter().filter((op) => hashUnit(op.id, salt) < keep);
  const cut = Math.floor(ops.length / 2);
  // Two batches, later half first: arrival order must not matter.
  to.sync.ingest(ops.slice(cut));
  to.sync.ingest(ops.slice(0, cut));
  expectAppendOnly(before, snapshot(to));
  const max = to.sync.opsAfter().at(-1)?.hlc;
  if (max !== undefined) expect((to.read.lastHlc() ?? "") >= max).toBe(true);
}

function fullExchange(replicas: ReadonlyArray<Replica>): void {
  const all = replicas.flatMap((r) => r.sync.opsAfter());
  for (const r of [...replicas].reverse()) {
    const result = r.sync.ingest(all);
    expect(result.quarantined).toBe(0);
  }
}

/** (seq, op, hash) rows in seq order, as strings. */
function snapshot(r: Replica): ReadonlyArray<string> {
  return allStoredJson(replicaDb(r)).map((row) => `${row.seq} ${row.op} ${row.hash}`);
}

function expectAppendOnly(before: ReadonlyArray<string>, after: ReadonlyArray<string>): void {
  expect(after.length).toBeGreaterThanOrEqual(before.length);
  expect(after.slice(0, before.length)).toEqual(before);
}

/** A deterministic number in [0, 1) per (op id, salt). */
function hashUnit(id: string, salt: number): number {
  let h = (salt ^ 0x811c9dc5) >>> 0;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619) >>> 0;
  return h / 2 ** 32;
}

export function expectConverged(replicas: ReadonlyArray<Replica>): void {
  const [first, ...rest] = replicas;
  const ids = (r: Replica) => r.sync.opsAfter().map((o) => o.id);
  for (const r of rest) {
    expect(ids(r)).toEqual(ids(first!));
    expect(r.read.canonicalState()).toBe(first!.read.canonicalState());
  }
  for (const r of replicas) expect(r.read.verify()).toEqual({ ok: true });
}

/**
 * Counterexamples fast-check found, kept as fixed cases (shrunk form).
 * - moveToRoot: a move with parent null was refused by the op decoder
 *   (move body schema without null), found with seed 313065756.
 */
export const REGRESSIONS: { readonly [name: string]: Scenario } = {
  moveToRoot: {
    replicas: 4,
    skews: [0, 0, 0, 0],
    steps: [
      { cmd: 0, action: { do: "createCategory", name: 0, color: 0, parent: 0 }, dt: 0 },
      { cmd: 0, action: { do: "move", type: 187, pick: 0, parent: 0 }, dt: 0 },
    ],
  },
};

describe("replica property regressions", () => {
  for (const [name, scenario] of Object.entries(REGRESSIONS)) {
    it(`converges: ${name}`, () => expectConverged(runScenario(scenario)));
  }
});

describe("replica properties", () => {
  it("replicas that exchanged all ops hold every op and the same state; the log is never rewritten; local HLCs only grow", async () => {
    console.log(`replica properties: seed ${SEED}, ${RUNS} runs (QC_PROPERTY_SEED / QC_PROPERTY_RUNS to change)`);
    // Async only to yield between runs: a minutes-long synchronous test
    // starves vitest's worker RPC ("Timeout calling onTaskUpdate").
    await fc.assert(
      fc.asyncProperty(arbitraryScenario, async (s) => {
        await new Promise((resolve) => setImmediate(resolve));
        try {
          expectConverged(runScenario(s));
        } finally {
          for (const r of opened.splice(0)) r.close();
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
  }, 900_000); // 200 runs take 1-2 minutes on the shared 2-core machine
});
