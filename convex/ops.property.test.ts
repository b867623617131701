// @vitest-environment edge-runtime
/**
 * Property: several clients pushing overlapping batches, with retries,
 * duplicates and the odd reused id, in any interleaving, leave a stream in
 * which every op is stored exactly once with gapless seqs 1..n, and paging
 * through ops:pull from 0 with any page sizes returns each op once, in order,
 * exactly as pushed.
 *
 * QC_PROPERTY_RUNS sets the number of runs (default 200); QC_PROPERTY_SEED
 * replays a failure (the seed is printed when the property fails).
 */
import { canonicalJson, hashOp, type Op } from "@qc/core/op";
import fc from "fast-check";
import { expect, test } from "vitest";
import { api } from "./_generated/api.js";
import { type Backend, createProject, expectRefusal, makeBackend, makeSetOp, storedOps } from "./test.setup.js";

const numRuns = Number(process.env["QC_PROPERTY_RUNS"] ?? 200);
const seed = Number(process.env["QC_PROPERTY_SEED"] ?? Date.now() % 2 ** 31);

const scenarioArb = fc.record({
  opCounts: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 3 }),
  pushes: fc.array(
    fc.record({
      client: fc.nat(),
      picks: fc.array(fc.nat(), { minLength: 1, maxLength: 6 }),
      impostor: fc.integer({ min: 0, max: 7 }).map((n) => n === 0),
    }),
    { maxLength: 8 },
  ),
  pages: fc.array(fc.record({ limit: fc.integer({ min: 1, max: 5 }), tiny: fc.boolean() }), { minLength: 1, maxLength: 6 }),
});
type Scenario = typeof scenarioArb extends fc.Arbitrary<infer S> ? S : never;

interface Client {
  readonly token: string;
  readonly ops: ReadonlyArray<Op>;
}

test("concurrent clients with retries and duplicates: every op stored once, seqs gapless, pull pages each op once in order", async () => {
  try {
    await fc.assert(fc.asyncProperty(scenarioArb, runScenario), { numRuns, seed });
  } catch (error) {
    console.error(`ops property failed; replay with QC_PROPERTY_SEED=${seed}`);
    throw error;
  }
}, 300_000);

async function runScenario(scenario: Scenario): Promise<void> {
  const t = makeBackend();
  const owner = await createProject(t, "owner");
  const clients = await makeClients(t, owner, scenario.opCounts);
  const stored = new Map<string, Op>();

  for (const push of scenario.pushes) {
    const client = clients[push.client % clients.length]!;
    const batch = push.picks.map((pick) => client.ops[pick % client.ops.length]!);
    const victim = batch.find((op) => stored.has(op.id));
    if (push.impostor && victim !== undefined) {
      const impostor: Op = { ...victim, kind: "set", body: { field: "name", value: "impostor" } };
      await expectRefusal(pushOps(t, owner.project, client.token, [...batch, impostor]), "id-reused", new RegExp(victim.id));
      continue;
    }
    await pushAndCheck(t, owner.project, client.token, batch, stored);
  }
  for (const client of clients) {
    await pushAndCheck(t, owner.project, client.token, [...client.ops].reverse(), stored);
  }

  await checkStored(t, owner.project, stored);
  await checkPaging(t, owner.project, owner.token, scenario.pages, stored);
}

async function makeClients(t: Backend, owner: { project: string; token: string }, opCounts: ReadonlyArray<number>): Promise<Client[]> {
  const clients: Client[] = [];
  for (const [index, count] of opCounts.entries()) {
    const actor = `client-${index}`;
    const { token } = await t.mutation(api.members.invite, { token: owner.token, project: owner.project, actor, role: "editor" });
    const replica = index.toString(16).padStart(16, "c");
    const ops = Array.from({ length: count }, (_, counter) =>
      makeSetOp({ project: owner.project, actor, replica, counter, value: `v${index}.${counter}` }),
    );
    clients.push({ token, ops });
  }
  return clients;
}

function pushOps(t: Backend, project: string, token: string, ops: ReadonlyArray<Op>) {
  return t.mutation(api.ops.push, { token, project, ops: [...ops] });
}

async function pushAndCheck(t: Backend, project: string, token: string, batch: ReadonlyArray<Op>, stored: Map<string, Op>) {
  const result = await pushOps(t, project, token, batch);
  for (const op of batch) stored.set(op.id, op);
  expect(result.acked).toEqual([...new Set(batch.map((op) => op.id))]);
  expect(result.head).toBe(stored.size);
}

async function checkStored(t: Backend, project: string, stored: Map<string, Op>) {
  const rows = await storedOps(t, project);
  expect(rows.map((row) => row.seq)).toEqual(rows.map((_, i) => i + 1));
  expect(new Set(rows.map((row) => row.id)).size).toBe(rows.length);
  expect(new Set(rows.map((row) => row.id))).toEqual(new Set(stored.keys()));
  for (const row of rows) expect(row.hash).toBe(hashOp(stored.get(row.id)!));
}

async function checkPaging(t: Backend, project: string, token: string, pages: Scenario["pages"], stored: Map<string, Op>) {
  const seen: { seq: number; op: unknown }[] = [];
  let after = 0;
  for (let i = 0; ; i++) {
    const { limit, tiny } = pages[i % pages.length]!;
    const page = await t.query(api.ops.pull, { token, project, after, limit, ...(tiny ? { maxBytes: 1 } : {}) });
    expect(page.head).toBe(stored.size);
    if (page.ops.length === 0) break;
    expect(page.ops.length).toBeLessThanOrEqual(tiny ? 1 : limit);
    expect(page.ops.map((o) => o.seq)).toEqual(page.ops.map((_, k) => after + 1 + k));
    seen.push(...page.ops);
    after = page.ops[page.ops.length - 1]!.seq;
  }
  expect(seen.map((o) => o.seq)).toEqual(seen.map((_, k) => k + 1));
  expect(seen).toHaveLength(stored.size);
  for (const { op } of seen) {
    const id = (op as { id: string }).id;
    expect(stored.has(id)).toBe(true);
    expect(canonicalJson(op)).toBe(canonicalJson(stored.get(id)));
  }
}
