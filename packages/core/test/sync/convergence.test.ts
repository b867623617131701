/**
 * Convergence under faults: 3–6 researchers with real SQLite replicas and
 * their own engines edit at random while the remote drops requests and
 * responses, times out, reorders and duplicates head notifications,
 * partitions researchers, and engines restart (replica closed and reopened
 * from its file); clocks are skewed within the drift bound. Once the faults
 * stop and everyone syncs, every replica must hold every op and the same
 * state, and the quarantine must hold exactly the bad ops injected.
 *
 * Runs: QC_PROPERTY_RUNS (default 20); seed: QC_SEED (printed).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createReplica } from "../../src/replica.js";
import { makeMemoryRemote } from "../../src/testing/memory-remote.js";
import { makeFaultSchedule } from "../../src/testing/faulty-remote.js";
import { makeTempDir } from "../../src/testing/temp-dir.js";
import { makeResearcher, randomEdit, within, type Pool, type Researcher } from "./sim.js";
import { regressions, type Scenario, type Step } from "./convergence-regressions.js";

const RUNS = Number(process.env.QC_PROPERTY_RUNS ?? 20);
const SEED = Number(process.env.QC_SEED ?? Date.now() % 2 ** 31);

const DRIFT_MS = 5 * 60_000;

const percent = (max: number) => fc.integer({ min: 0, max }).map((n) => n / 100);

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.record({
      kind: fc.constant("edit" as const),
      who: fc.nat(5),
      pick: fc.nat(1000),
      what: fc.nat(7),
      burst: fc.integer({ min: 1, max: 8 }),
    }),
  },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("wait" as const), ms: fc.integer({ min: 0, max: 20 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom("partition" as const, "heal" as const), who: fc.nat(5) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("restart" as const), who: fc.nat(5) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("toggle" as const), who: fc.nat(5) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("inject-bad" as const), pick: fc.nat(3) }) },
);

const scenarioArb: fc.Arbitrary<Scenario> = fc.record({
  researchers: fc.integer({ min: 3, max: 6 }),
  faultSeed: fc.nat(),
  // Skew within the drift bound: two researchers' clocks differ by < 5 minutes.
  skewsMs: fc.array(fc.integer({ min: -(DRIFT_MS / 2 - 10_000), max: DRIFT_MS / 2 - 10_000 }), { minLength: 6, maxLength: 6 }),
  rates: fc.record({
    dropRequest: percent(30),
    dropResponse: percent(30),
    timeout: percent(8),
    duplicateHead: percent(50),
    reorderHead: percent(50),
  }),
  steps: fc.array(stepArb, { minLength: 15, maxLength: 60 }),
});

describe("sync convergence under faults", () => {
  it("replicas that sync after any faults hold the same ops and the same state", async () => {
    console.log(`convergence: seed ${SEED}, ${RUNS} runs (QC_SEED / QC_PROPERTY_RUNS to change)`);
    await fc.assert(fc.asyncProperty(scenarioArb, runScenario), {
      numRuns: RUNS,
      seed: SEED,
      examples: regressions.map((r) => [r]),
      endOnFailure: process.env.QC_SHRINK === undefined, // shrinking async runs is slow: opt in
      interruptAfterTimeLimit: 100_000,
    });
    console.log(
      `convergence: ${totals.runs} runs, ${totals.ops} ops in the stream in total, faults injected ${JSON.stringify(totals.faults)}, steps ${JSON.stringify(totals.steps)}`,
    );
  }, 240_000);
});

async function runScenario(scenario: Scenario): Promise<void> {
  const dir = makeTempDir("qc-converge-");
  const team: Array<Researcher> = [];
  const injected = new Set<string>();
  try {
    const project = foundProject(`${dir.root}/replica-0.sqlite`);
    const server = makeMemoryRemote({ project, name: "converge" });
    for (let i = 0; i < scenario.researchers; i += 1) team.push(makeTeamMember(scenario, i, dir.root, project, server));
    const pool: Pool = { codes: [], categories: [] };
    const enabled = team.map(() => true);
    for (const step of scenario.steps) {
      await runStep(step, team, pool, enabled, server, injected);
      totals.steps[step.kind] = (totals.steps[step.kind] ?? 0) + 1;
    }
    for (const r of team) r.schedule.calm();
    for (const [i, r] of team.entries()) if (!enabled[i]) await r.engine().enable();
    // Round 1 pushes every backlog; round 2 pulls what the others pushed.
    for (const round of [1, 2]) {
      await within(30_000, `sync round ${round}`, Promise.all(team.map((r) => r.engine().syncNow())));
    }
    checkConverged(team, server.head(), injected);
    totals.runs += 1;
    totals.ops += server.head();
    for (const r of team) for (const [k, v] of Object.entries(r.schedule.injected)) totals.faults[k] = (totals.faults[k] ?? 0) + v;
  } finally {
    for (const r of team) await r.stop().catch(() => undefined);
    dir.remove();
  }
}

/** The first researcher creates the project (its file then holds the project's create op). */
function foundProject(path: string): string {
  const founder = createReplica(path, { actor: "actor-0", replica: "1111111111111111", projectName: "Interviews" });
  const project = founder.project;
  founder.close();
  return project;
}

const totals = { runs: 0, ops: 0, faults: {} as Record<string, number>, steps: {} as Record<string, number> };

function makeTeamMember(
  scenario: Scenario,
  i: number,
  dir: string,
  project: string | undefined,
  remote: ReturnType<typeof makeMemoryRemote>,
): Researcher {
  return makeResearcher({
    index: i,
    path: `${dir}/replica-${i}.sqlite`,
    project,
    skewMs: scenario.skewsMs[i] ?? 0,
    schedule: makeFaultSchedule({ seed: scenario.faultSeed + i, rates: { ...scenario.rates, maxLatencyMs: 3 } }),
    connect: () => remote.connect(),
  });
}

async function runStep(
  step: Step,
  team: ReadonlyArray<Researcher>,
  pool: Pool,
  enabled: Array<boolean>,
  server: ReturnType<typeof makeMemoryRemote>,
  injected: Set<string>,
): Promise<void> {
  const r = "who" in step ? team[step.who % team.length]! : undefined;
  switch (step.kind) {
    case "edit":
      for (let k = 0; k < step.burst; k += 1) randomEdit(r!.replica(), pool, step.pick + 7 * k, step.what + k);
      return;
    case "wait":
      await new Promise((resolve) => setTimeout(resolve, step.ms));
      return;
    case "partition":
      r!.schedule.partition();
      return;
    case "heal":
      r!.schedule.heal();
      return;
    case "restart":
      await r!.restart();
      if (!enabled[r!.index]) enabled[r!.index] = true; // a new engine starts enabled
      return;
    case "toggle":
      enabled[r!.index] = !enabled[r!.index];
      await (enabled[r!.index] ? r!.engine().enable() : r!.engine().disable());
      return;
    case "inject-bad": {
      const id = `bad-op-${injected.size}`;
      injected.add(id);
      server.injectRaw(badOp(id, step.pick, server.identity.project));
      return;
    }
  }
}

/** Invalid ops a broken or older client could have pushed straight into the stream. */
function badOp(id: string, variant: number, project: string): unknown {
  const base = { v: 1, id, project, replica: "00000000000000ff", actor: "actor-x", hlc: id, kind: "create" };
  switch (variant % 4) {
    case 0:
      return { ...base, target: { type: "code", id: "x" }, body: { fields: { name: 42 } } }; // id ≠ hlc form, bad body
    case 1:
      return { ...base, project: "another-project" };
    case 2:
      return { id, garbage: true };
    default:
      return { ...base, kind: "set", target: { type: "code", id: "x" }, body: {} };
  }
}

function checkConverged(team: ReadonlyArray<Researcher>, head: number, injected: ReadonlySet<string>): void {
  const replicas = team.map((r) => r.replica());
  // Every op made anywhere: each replica's own ops are in its own log (never rewritten).
  const made = new Set(
    replicas.flatMap((rep) =>
      rep.sync
        .opsAfter()
        .filter((op) => op.replica === rep.replica)
        .map((op) => op.id),
    ),
  );
  const states = new Set<string>();
  for (const rep of replicas) {
    expect(rep.sync.syncCursor()?.seq, `cursor of ${rep.replica}`).toBe(head);
    expect(rep.sync.outboxSize(), `outbox of ${rep.replica}`).toBe(0);
    const ids = new Set(rep.sync.opsAfter().map((op) => op.id));
    const missing = [...made].filter((id) => !ids.has(id));
    expect(missing, `ops missing on ${rep.replica}`).toEqual([]);
    expect(ids.size, `extra ops on ${rep.replica}`).toBe(made.size);
    const quarantined = new Set(rep.read.quarantine().map((q) => q.id ?? "?"));
    expect([...quarantined].sort(), `quarantine of ${rep.replica}`).toEqual([...injected].sort());
    expect(rep.read.verify(), `verify ${rep.replica}`).toEqual({ ok: true });
    states.add(rep.read.canonicalState());
  }
  expect(states.size, "distinct canonical states").toBe(1);
}
