/**
 * Crash safety of sync: child processes edit and sync against a file-backed
 * remote that outlives them, and are killed with SIGKILL at random moments
 * (during edits, pushes, acks, ingests). After every kill the replica file
 * must be intact and hold everything the child reported as committed, and
 * the remote must hold every op the replica recorded as acknowledged; the
 * next child resumes the backlog; at the end every replica converges.
 *
 * Kills: QC_CRASH_KILLS (default 30), over two children running side by
 * side (two writers on one remote); seed: QC_SEED (printed).
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createReplica, type Replica } from "../../src/replica.js";
import { startSyncEngine, type SyncEngineHandle } from "../../src/sync/start.js";
import { openOrCreateReplica } from "../../src/testing/open-or-create.js";
import { makePrng } from "../../src/testing/pure/prng.js";
import { makeSqliteRemote, type SqliteRemote } from "../../src/testing/sqlite-remote.js";
import { makeTempDir } from "../../src/testing/temp-dir.js";
import { simRetry, within } from "./sim.js";

const KILLS = Number(process.env.QC_CRASH_KILLS ?? 30);
const SEED = Number(process.env.QC_SEED ?? Date.now() % 2 ** 31);
const here = dirname(fileURLToPath(import.meta.url));
const LANES = ["2222222222222222", "3333333333333333"];

let child: { command: string; args: ReadonlyArray<string> };
const dir = makeTempDir("qc-crash-");

beforeAll(async () => {
  child = await bundleChild();
}, 120_000);
afterAll(() => dir.remove());

describe("sync crash safety", () => {
  it("a SIGKILL at any moment loses no committed or acknowledged op; the backlog resumes and replicas converge", async () => {
    console.log(`crash: seed ${SEED}, ${KILLS} kills over ${LANES.length} children`);
    const random = makePrng(SEED);
    const founder = createReplica(dir.path("founder.sqlite"), { actor: "actor-0", replica: "1111111111111111" });
    const project = founder.project;
    const remotePath = dir.path("remote.sqlite");
    const remote = makeSqliteRemote(remotePath, { project });
    // The founder syncs all along, in this process: it sees the children's pushes by polling.
    const founderEngine = startSyncEngine({
      replica: founder.sync,
      remote: () => makeSqliteRemote(remotePath, { pollMs: 10 }),
      retry: simRetry,
    });
    const stats = { kills: 0, committed: 0, resumed: 0 };
    try {
      const perLane = Math.ceil(KILLS / LANES.length);
      await Promise.all(
        LANES.map(async (replicaId, lane) => {
          const path = dir.path(`replica-${lane}.sqlite`);
          let backlog: ReadonlyArray<string> = [];
          for (let k = 0; k < perLane; k += 1) {
            const committed = await runAndKill(path, remotePath, replicaId, Math.floor(random() * 2 ** 31), 50 + random() * 700);
            stats.kills += 1;
            stats.committed += committed.length;
            const after = checkAfterKill(path, replicaId, project, committed, remote);
            if (backlog.some((id) => !after.outbox.has(id))) stats.resumed += 1;
            backlog = [...after.outbox];
          }
        }),
      );
      console.log(`crash: ${stats.kills} kills, ${stats.committed} commits reported, backlog resumed after ${stats.resumed} restarts`);
      expect(stats.kills).toBeGreaterThanOrEqual(KILLS);
      await checkConvergence(founder, founderEngine, remotePath, project, remote);
    } finally {
      await founderEngine.stop();
      founder.close();
      await remote.close();
    }
  }, 240_000);
});

/** Starts a child, kills it with SIGKILL `delayMs` after it is ready, returns the op ids it reported. */
async function runAndKill(
  path: string,
  remotePath: string,
  replicaId: string,
  seed: number,
  delayMs: number,
): Promise<ReadonlyArray<string>> {
  const proc = spawn(child.command, [...child.args, path, remotePath, replicaId, String(seed)], { stdio: ["ignore", "pipe", "pipe"] });
  const committed: Array<string> = [];
  let stderr = "";
  let buffer = "";
  let ready: () => void = () => {};
  const isReady = new Promise<void>((resolve) => (ready = resolve));
  const exited = new Promise<void>((resolve) => proc.on("exit", () => resolve()));
  proc.stderr.on("data", (d: Buffer) => void (stderr += d.toString()));
  proc.stdout.on("data", (d: Buffer) => {
    buffer += d.toString();
    const lines = buffer.split("\n");
    buffer = lines.pop() ?? "";
    for (const line of lines) {
      if (line === "ready") ready();
      else if (line.startsWith("committed ")) committed.push(line.slice("committed ".length));
    }
  });
  await within(
    60_000,
    `child ready (stderr: ${stderr})`,
    Promise.race([isReady, exited.then(() => Promise.reject(new Error(`child exited early: ${stderr}`)))]),
  );
  await new Promise((r) => setTimeout(r, delayMs));
  proc.kill("SIGKILL");
  await exited;
  expect(stderr, "child stderr").toBe("");
  return committed;
}

function checkAfterKill(
  path: string,
  replicaId: string,
  project: string,
  committed: ReadonlyArray<string>,
  remote: SqliteRemote,
): { outbox: ReadonlySet<string> } {
  const raw = new Database(path);
  try {
    expect(raw.pragma("integrity_check", { simple: true }), "replica integrity_check").toBe("ok");
  } finally {
    raw.close();
  }
  expect(remote.integrityCheck(), "remote integrity_check").toBe("ok");
  // A child killed before it made its file leaves none: then this is a fresh replica.
  const replica = openOrCreateReplica(path, { actor: `actor-${replicaId}`, replica: replicaId, project });
  try {
    expect(replica.read.verify(), "verify after kill").toEqual({ ok: true });
    const ids = new Set(replica.sync.opsAfter().map((op) => op.id));
    expect(
      committed.filter((id) => !ids.has(id)),
      "committed ops missing locally",
    ).toEqual([]);
    const outbox = new Set(replica.sync.outbox(Number.MAX_SAFE_INTEGER).map((op) => op.id));
    const acked = replica.sync.opsAfter().filter((op) => op.replica === replicaId && !outbox.has(op.id));
    const onRemote = remote.ids();
    expect(
      acked.filter((op) => !onRemote.has(op.id)).map((op) => op.id),
      "acknowledged ops missing on the remote",
    ).toEqual([]);
    return { outbox };
  } finally {
    replica.close();
  }
}

/** Every replica drains its backlog and pulls everything: same ops, same state. */
async function checkConvergence(
  founder: Replica,
  founderEngine: SyncEngineHandle,
  remotePath: string,
  project: string,
  remote: SqliteRemote,
): Promise<void> {
  const lanes = LANES.map((replicaId, lane) => {
    const replica = openOrCreateReplica(dir.path(`replica-${lane}.sqlite`), { actor: `actor-${replicaId}`, replica: replicaId, project });
    const engine = startSyncEngine({ replica: replica.sync, remote: () => makeSqliteRemote(remotePath, { pollMs: 10 }), retry: simRetry });
    return { replica, engine };
  });
  try {
    const all = [...lanes, { replica: founder, engine: founderEngine }];
    for (const round of [1, 2]) await within(60_000, `final sync round ${round}`, Promise.all(all.map((r) => r.engine.syncNow())));
    const onRemote = remote.ids();
    const states = new Set<string>();
    for (const { replica } of all) {
      expect(replica.sync.outboxSize(), `backlog of ${replica.replica}`).toBe(0);
      expect(new Set(replica.sync.opsAfter().map((op) => op.id)), `ops of ${replica.replica}`).toEqual(onRemote);
      states.add(replica.read.canonicalState());
    }
    expect(states.size, "distinct canonical states").toBe(1);
  } finally {
    for (const { replica, engine } of lanes) {
      await engine.stop();
      replica.close();
    }
  }
}

/**
 * The child as one bundled file (tsx would transform ~100 modules at every
 * start: seconds per kill on a loaded machine). Falls back to tsx if esbuild
 * (a dependency of tsx) cannot be found.
 */
async function bundleChild(): Promise<{ command: string; args: ReadonlyArray<string> }> {
  const entry = join(here, "crash-child.ts");
  try {
    const require = createRequire(createRequire(import.meta.url).resolve("tsx/package.json"));
    const esbuild = require("esbuild") as { build: (options: Record<string, unknown>) => Promise<unknown> };
    // Inside node_modules so that the bundle resolves better-sqlite3 (kept external: native).
    const outdir = join(here, "../../node_modules/.cache/qc-crash");
    if (!existsSync(outdir)) mkdirSync(outdir, { recursive: true });
    const outfile = join(outdir, "crash-child.mjs");
    await esbuild.build({
      entryPoints: [entry],
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      external: ["better-sqlite3"],
      outfile,
      logLevel: "error",
    });
    return { command: process.execPath, args: [outfile] };
  } catch {
    return { command: process.execPath, args: ["--import", "tsx", entry] };
  }
}
