/**
 * The team flow end to end over the local Convex-protocol backend, every
 * step a real `qc` child process with real ConvexClients: init, settings
 * (URL, cloud sync on), team create, invite, join, edits both ways,
 * `sync --once`, status; the backend stopped (offline, edits still work)
 * and restarted (synced, converged); cloud sync off (no network, backlog
 * kept) and on again; wrong and revoked tokens.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { startLocalBackend, type LocalBackend } from "@qc/convex-backend/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeInvite, decodeInvite, openProject } from "../src/project/index.js";
import { makeQcRunner, type QcRunner } from "./support/cli.js";

let qc: QcRunner;
let backend: LocalBackend;
beforeAll(async () => {
  [qc, backend] = await Promise.all([makeQcRunner(), startLocalBackend()]);
});
afterAll(async () => {
  await backend.stop();
  qc.cleanup();
});

/** An edit made by another process on the file (as the CLI's research commands will). */
async function addCode(file: string, name: string): Promise<void> {
  const project = openProject(join(qc.dir, file), {});
  try {
    project.replica.commands.createCode({ name, color: "#336699" });
  } finally {
    await project.close();
  }
}

async function codeNames(file: string): Promise<ReadonlyArray<string>> {
  const project = openProject(join(qc.dir, file), {});
  try {
    return project.replica.read
      .entities("code")
      .map((c) => String(c.fields["name"]))
      .sort();
  } finally {
    await project.close();
  }
}

describe("a team over the local Convex backend, through the qc CLI", { timeout: 180_000 }, () => {
  let benInvite = "";

  it("an owner publishes a project and invites; the member joins caught up", async () => {
    expect((await qc.run(["init", "ana.qc", "--name", "Flood study", "--actor", "Ana"])).code).toBe(0);
    await addCode("ana.qc", "Hope");
    expect((await qc.run(["settings", "set", "convex-url", backend.url, "-p", "ana.qc"])).code).toBe(0);
    expect((await qc.run(["settings", "set", "cloud-sync", "on", "-p", "ana.qc"])).code).toBe(0);
    const created = await qc.json(["team", "create", "-p", "ana.qc"]);
    expect(created).toMatchObject({ convexUrl: backend.url, token: expect.stringMatching(/^….{4}$/) });
    const invited = await qc.json<{ token: string; invite: string }>(["team", "invite", "Ben", "--role", "editor", "-p", "ana.qc"]);
    expect(decodeInvite(invited.invite)).toMatchObject({ url: backend.url, actor: "Ben", token: invited.token });
    benInvite = invited.invite;
    const settings = await qc.run(["settings", "show", "-p", "ana.qc"]);
    expect(settings.stdout).not.toContain(invited.token);

    const joined = await qc.run(["join", benInvite, "ben.qc", "--actor", "Ben", "--json"]);
    expect(joined.code).toBe(0);
    expect(JSON.parse(joined.stdout)).toMatchObject({ name: "Flood study", actor: "Ben", codes: 1, toPush: 0 });
    expect(joined.stderr).not.toContain("joining"); // no progress bar off a terminal
    const members = await qc.json<Array<{ actor: string; role: string }>>(["team", "list", "-p", "ana.qc"]);
    expect(members.map((m) => `${m.actor}:${m.role}`).sort()).toEqual(["Ana:owner", "Ben:editor"]);
  });

  it("edits go both ways with sync --once, and status says synced with nothing to push", async () => {
    await addCode("ana.qc", "Fear");
    await addCode("ben.qc", "Money");
    for (const f of ["ana.qc", "ben.qc", "ana.qc"]) expect((await qc.run(["sync", "--once", "-p", f])).code).toBe(0);
    expect(await codeNames("ana.qc")).toEqual(["Fear", "Hope", "Money"]);
    expect(await codeNames("ben.qc")).toEqual(["Fear", "Hope", "Money"]);
    const status = await qc.json(["status", "-p", "ben.qc"]);
    expect(status).toMatchObject({
      state: "synced",
      toPush: 0,
      cloudSyncEnabled: true,
      convexUrl: backend.url,
      lastSyncedAt: expect.any(String),
    });
  });

  it("with the backend stopped: status offline, edits still work, sync --once fails with exit 5; restarted: synced", async () => {
    await backend.stop();
    try {
      await addCode("ben.qc", "Offline idea");
      const status = await qc.json(["status", "-p", "ben.qc"]);
      expect(status).toMatchObject({ state: "offline", toPush: 1 });
      const once = await qc.run(["sync", "--once", "--offline-timeout", "1", "-p", "ben.qc"]);
      expect(once.code).toBe(5);
      expect(once.stderr).toMatch(/edits are kept on this computer/);
    } finally {
      await backend.restart();
    }
    expect((await qc.run(["sync", "--once", "-p", "ben.qc"])).code).toBe(0);
    expect((await qc.run(["sync", "--once", "-p", "ana.qc"])).code).toBe(0);
    expect(await codeNames("ana.qc")).toContain("Offline idea");
    expect(await qc.json(["status", "-p", "ana.qc"])).toMatchObject({ state: "synced", toPush: 0 });
  });

  it("cloud sync off: no network, the backlog is kept; on again: it is sent", async () => {
    expect((await qc.run(["settings", "set", "cloud-sync", "off", "-p", "ben.qc"])).code).toBe(0);
    await addCode("ben.qc", "Kept back");
    await backend.stop(); // nothing may need the server while sync is off
    try {
      expect(await qc.json(["status", "-p", "ben.qc"])).toMatchObject({ state: "disabled", toPush: 1, cloudSyncEnabled: false });
      expect((await qc.run(["sync", "--once", "-p", "ben.qc"])).code).toBe(7);
    } finally {
      await backend.restart();
    }
    expect((await qc.run(["settings", "set", "cloud-sync", "on", "-p", "ben.qc"])).code).toBe(0);
    expect((await qc.run(["sync", "--once", "-p", "ben.qc"])).code).toBe(0);
    expect((await qc.run(["sync", "--once", "-p", "ana.qc"])).code).toBe(0);
    expect(await codeNames("ana.qc")).toContain("Kept back");
  });

  it("a wrong token cannot join (exit 6, no file left); a revoked member's sync is refused with exit 6", async () => {
    const forged = encodeInvite({ ...decodeInvite(benInvite), actor: "Eve", token: "0".repeat(64) });
    const wrong = await qc.run(["join", forged, "eve.qc", "--actor", "Eve"]);
    expect(wrong.code).toBe(6);
    expect(wrong.stderr).toMatch(/token/i);
    expect(existsSync(join(qc.dir, "eve.qc"))).toBe(false);
    expect((await qc.run(["join", benInvite, "ben2.qc", "--actor", "Bob"])).code).toBe(3);
    expect((await qc.run(["join", "qc1.garbage", "x.qc", "--actor", "Bob"])).code).toBe(3);

    expect((await qc.run(["team", "revoke", "Ben", "-p", "ana.qc"])).code).toBe(0);
    await addCode("ben.qc", "After revoke");
    const refused = await qc.run(["sync", "--once", "-p", "ben.qc"]);
    expect(refused.code).toBe(6);
    expect(refused.stderr).not.toContain(decodeInvite(benInvite).token);
    expect((await qc.run(["team", "revoke", "Nobody", "-p", "ana.qc"])).code).toBe(3);
  });

  it("on a terminal, join draws a progress bar of the edits received, on one line", async () => {
    const ana = openProject(join(qc.dir, "ana.qc"), {});
    try {
      ana.replica.commands.batch((c) => {
        for (let i = 0; i < 3_000; i++) c.createCode({ name: `Theme ${i}`, color: "#336699" });
      });
    } finally {
      await ana.close();
    }
    expect((await qc.run(["sync", "--once", "-p", "ana.qc"])).code).toBe(0);
    const { invite } = await qc.json<{ invite: string }>(["team", "invite", "Cara", "--role", "viewer", "-p", "ana.qc"]);
    const joined = await onTerminal(["join", invite, "cara.qc", "--actor", "Cara"]);
    expect(joined.code).toBe(0);
    // Each status redraws the one line (carriage return, erase line) instead of scrolling.
    const lines = joined.output.split("\r\x1b[2K").map((l) => l.trim());
    const bars = lines.filter((l) => l.startsWith("joining · ["));
    expect(bars.length).toBeGreaterThan(0);
    for (const bar of bars) expect(bar).toMatch(/^joining · \[#*\.*\] [\d,]+ of [\d,]+ edits received$/);
    expect(bars.at(-1)).toMatch(/\[#{20}\]/);
    expect(joined.output).toMatch(/cara\.qc: joined "Flood study" as Cara, caught up \(3,?\d{3} codes/);
    expect((await codeNames("cara.qc")).length).toBeGreaterThan(3_000);
  });
});

/** A qc command on a pseudo-terminal (util-linux `script`), as a researcher runs it; stdout and stderr come back as one stream. */
function onTerminal(args: ReadonlyArray<string>): Promise<{ code: number | null; output: string }> {
  const quoted = [process.execPath, qc.bundle, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(" ");
  return new Promise((resolve, reject) => {
    const child = spawn("script", ["-qec", quoted, "/dev/null"], { cwd: qc.dir, env: qc.env(), stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}
