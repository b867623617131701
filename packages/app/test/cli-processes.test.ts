/**
 * Several processes on one project file, through real `qc` children:
 * - one process at a time runs the sync engine (a second `qc sync` exits 8);
 *   after the holder stops (SIGTERM) or is killed (SIGKILL), another takes over;
 * - a running `qc sync` sends edits another process makes to its file
 *   without a restart, and applies settings another process changes;
 * - a SIGKILL of `qc sync` in the middle of pushing loses nothing: the next
 *   run sends the rest, and a new member receives every op.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { startLocalBackend, type LocalBackend } from "@qc/convex-backend/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { joinProject, openProject, type Project } from "../src/project/index.js";
import { makeQcRunner, type QcRunner } from "./support/cli.js";

const WRITER = fileURLToPath(new URL("./support/writer-child.ts", import.meta.url));
let qc: QcRunner;
let backend: LocalBackend;
const children: Array<ChildProcess> = [];
beforeAll(async () => {
  [qc, backend] = await Promise.all([makeQcRunner(), startLocalBackend()]);
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  await backend.stop();
  qc.cleanup();
});

const path = (f: string) => join(qc.dir, f);

async function teamFile(file: string, owner: string): Promise<void> {
  expect((await qc.run(["init", file, "--name", `Study of ${owner}`, "--actor", owner])).code).toBe(0);
  expect((await qc.run(["settings", "set", "convex-url", backend.url, "-p", file])).code).toBe(0);
  expect((await qc.run(["settings", "set", "cloud-sync", "on", "-p", file])).code).toBe(0);
  expect((await qc.run(["team", "create", "-p", file])).code).toBe(0);
}

async function edit(file: string, fn: (p: Project) => void): Promise<void> {
  const project = openProject(path(file), {});
  try {
    fn(project);
  } finally {
    await project.close();
  }
}

/** Starts `qc sync --json` and resolves with the child once its first status line is out. */
function startSync(file: string, onStatus: (status: Record<string, unknown>) => void = () => undefined): Promise<ChildProcess> {
  const child = qc.spawn(["sync", "--json", "-p", file]);
  children.push(child);
  return new Promise((resolve, reject) => {
    let buffer = "";
    let first = true;
    child.stderr!.on("data", (d: Buffer) => process.stderr.write(`[qc sync ${file}] ${d.toString()}`));
    child.stdout!.on("data", (d: Buffer) => {
      buffer += d.toString();
      const lines = buffer.split("\n");
      buffer = lines.pop()!;
      for (const line of lines) {
        onStatus(JSON.parse(line) as Record<string, unknown>);
        if (first) resolve(child);
        first = false;
      }
    });
    child.on("exit", (code) => (first ? reject(new Error(`qc sync exited ${code} before any status`)) : undefined));
  });
}

const exited = (child: ChildProcess): Promise<number | null> =>
  child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((resolve) => child.on("exit", (code) => resolve(code)));

async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await condition()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}

function runWriter(file: string, label: string, count: number, start: number): Promise<number | null> {
  const child = spawn(process.execPath, ["--import", "tsx", WRITER, file, label, String(count), String(start)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(child);
  return exited(child);
}

async function inviteAndJoin(ownerFile: string, name: string): Promise<Project> {
  const { invite } = await qc.json<{ invite: string }>(["team", "invite", name, "--role", "editor", "-p", ownerFile]);
  return joinProject(invite, path(`${name.toLowerCase()}-${ownerFile}`), { actor: name, env: {} });
}

describe("processes sharing a project file", { timeout: 180_000 }, () => {
  it("one syncer at a time: a second qc sync exits 8; after SIGTERM or SIGKILL of the first, another takes over", async () => {
    await teamFile("lease.qc", "Ana");
    const first = await startSync("lease.qc");
    const second = await qc.run(["sync", "--once", "-p", "lease.qc"]);
    expect(second.code).toBe(8);
    expect(second.stderr).toMatch(/another qc process \(pid \d+\) is syncing this project file/);
    const status = await qc.json(["status", "-p", "lease.qc"]);
    expect(status).toMatchObject({ syncedBy: `pid ${first.pid}` });
    first.kill("SIGTERM");
    expect(await exited(first)).toBe(0);
    expect((await qc.run(["sync", "--once", "-p", "lease.qc"])).code).toBe(0);

    const crashed = await startSync("lease.qc");
    crashed.kill("SIGKILL");
    await exited(crashed);
    expect((await qc.run(["sync", "--once", "-p", "lease.qc"])).code).toBe(0); // the dead holder's lease is free
  });

  it("a running qc sync sends another process's edits without a restart, and follows its settings changes", async () => {
    await teamFile("live.qc", "Ana");
    const ben = await inviteAndJoin("live.qc", "Ben");
    ben.startSync();
    const states: Array<string> = [];
    const syncer = await startSync("live.qc", (s) => states.push(String(s["state"])));
    try {
      await edit("live.qc", (p) => p.replica.commands.createCode({ name: "From another process", color: "#123456" }));
      await until(
        () => ben.replica.read.entities("code").some((c) => c.fields["name"] === "From another process"),
        "the edit to reach Ben",
      );
      await edit("live.qc", (p) => void p.setCloudSync(false));
      await until(() => states.includes("disabled"), "the running engine to switch off");
      await edit("live.qc", (p) => p.replica.commands.createCode({ name: "While off", color: "#123456" }));
      await edit("live.qc", (p) => void p.setCloudSync(true));
      await until(
        () => ben.replica.read.entities("code").some((c) => c.fields["name"] === "While off"),
        `the backlog after sync is on again (states ${states.join(",")})`,
      );
    } finally {
      syncer.kill("SIGTERM");
      expect(await exited(syncer)).toBe(0);
      await ben.close();
    }
  });

  it("qc status --watch follows the status until SIGTERM; qc sync without --json writes status lines to stderr", async () => {
    await teamFile("watch.qc", "Ana");
    const watcher = qc.spawn(["status", "--watch", "--json", "-p", "watch.qc"]);
    children.push(watcher);
    let out = "";
    watcher.stdout!.on("data", (d: Buffer) => (out += d.toString()));
    await until(() => out.split("\n").some((l) => l.includes('"state":"synced"')), "a synced status from --watch");
    watcher.kill("SIGTERM");
    expect(await exited(watcher)).toBe(0);
    const view = JSON.parse(out.split("\n")[0]!) as Record<string, unknown>;
    expect(view).toMatchObject({ cloudSyncEnabled: true, convexUrl: backend.url, syncedBy: "this process" });

    const syncer = qc.spawn(["sync", "-p", "watch.qc"]);
    children.push(syncer);
    let err = "";
    syncer.stderr!.on("data", (d: Buffer) => (err += d.toString()));
    await until(() => err.includes("synced since"), "a synced status line");
    syncer.kill("SIGINT");
    expect(await exited(syncer)).toBe(0);
    expect(err).not.toMatch(/\x1b\[/);
  });

  // Needs the op-log half (the clock raised to the log's max HLC inside each write
  // transaction, branch h7-oplog): until it is on main, two writers can stamp the same HLC.
  it("two processes writing the file at once while qc sync runs: every edit is in the log, sent, and verify holds", async () => {
    await teamFile("shared.qc", "Ana");
    const ben = await inviteAndJoin("shared.qc", "Ben");
    ben.startSync();
    const syncer = await startSync("shared.qc");
    try {
      const start = Date.now() + 4000; // both children are up by then; they write at once
      const writers = ["left", "right"].map((label) => runWriter(path("shared.qc"), label, 300, start));
      expect(await Promise.all(writers)).toEqual([0, 0]);
      await until(() => ben.replica.read.entities("code").length === 600, "all 600 edits at Ben");
      await edit("shared.qc", (p) => {
        expect(p.replica.read.entities("code")).toHaveLength(600);
        expect(p.replica.read.verify()).toMatchObject({ ok: true });
        expect(p.replica.read.quarantine()).toEqual([]);
      });
      expect(ben.replica.read.quarantine()).toEqual([]);
    } finally {
      syncer.kill("SIGTERM");
      await exited(syncer);
      await ben.close();
    }
  });

  it("SIGKILL of qc sync mid-push loses nothing; the next run sends the rest", async () => {
    await teamFile("crash.qc", "Ana");
    await edit("crash.qc", (p) => {
      for (let i = 0; i < 1500; i++) p.replica.commands.createCode({ name: `code ${i}`, color: "#abcdef" });
    });
    const total = await qc.json<{ toPush: number }>(["info", "-p", "crash.qc"]);
    expect(total.toPush).toBe(1500);
    let killedAt: number | undefined;
    const child = qc.spawn(["sync", "--json", "-p", "crash.qc"]);
    children.push(child);
    child.stdout!.on("data", (d: Buffer) => {
      for (const line of d.toString().trim().split("\n")) {
        const s = JSON.parse(line) as { state: string; toPush: number };
        if (killedAt === undefined && s.state === "syncing" && s.toPush > 0 && s.toPush < 1500) {
          killedAt = s.toPush;
          child.kill("SIGKILL");
        }
      }
    });
    await exited(child);
    expect(killedAt).toBeDefined();
    const after = await qc.json<{ toPush: number }>(["info", "-p", "crash.qc"]);
    expect(after.toPush).toBeGreaterThan(0); // it really died mid-push
    expect(after.toPush).toBeLessThan(1500);
    expect((await qc.run(["sync", "--once", "-p", "crash.qc"])).code).toBe(0);
    expect(await qc.json(["info", "-p", "crash.qc"])).toMatchObject({ toPush: 0 });
    const ben = await inviteAndJoin("crash.qc", "Ben");
    try {
      expect(ben.replica.read.entities("code")).toHaveLength(1500);
      expect(ben.replica.read.verify()).toMatchObject({ ok: true });
    } finally {
      await ben.close();
    }
    await edit("crash.qc", (p) => {
      expect(p.replica.read.verify()).toMatchObject({ ok: true });
      expect(p.replica.read.quarantine()).toEqual([]);
    });
  }, 180_000);
});
