/**
 * `qc team create` on a deployment that requires a project-creation key
 * (QC_PROJECT_CREATION_KEY set on the deployment; here the in-process local
 * backend): refused without the key, or with a wrong one, with a clear
 * message and nothing stored; accepted with `--creation-key` or
 * $QC_PROJECT_CREATION_KEY; the key is never printed, logged or stored.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { startLocalBackend, type LocalBackend } from "@qc/convex-backend/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { makeQcRunner, type QcResult, type QcRunner } from "./support/cli.js";

const KEY = "key-for-creation-7f3a9c";

let qc: QcRunner;
let backend: LocalBackend;
beforeAll(async () => {
  vi.stubEnv("QC_PROJECT_CREATION_KEY", KEY);
  [qc, backend] = await Promise.all([makeQcRunner(), startLocalBackend()]);
});
afterAll(async () => {
  await backend.stop();
  vi.unstubAllEnvs();
  qc.cleanup();
});

/** Every byte the file (and its SQLite side files) holds, as text. */
function fileBytes(file: string): string {
  return readdirSync(qc.dir)
    .filter((name) => name.startsWith(file))
    .map((name) => readFileSync(join(qc.dir, name)).toString("latin1"))
    .join("");
}

async function initOnServer(file: string): Promise<void> {
  expect((await qc.run(["init", file, "--name", "Flood study", "--actor", "Ana"])).code).toBe(0);
  expect((await qc.run(["settings", "set", "convex-url", backend.url, "-p", file])).code).toBe(0);
  expect((await qc.run(["settings", "set", "cloud-sync", "on", "-p", file])).code).toBe(0);
}

function expectNoKey(...results: ReadonlyArray<QcResult>): void {
  for (const r of results) expect(`${r.stdout}${r.stderr}`).not.toContain(KEY);
}

describe("qc team create on a deployment that requires a creation key", { timeout: 120_000 }, () => {
  it("refuses without the key or with a wrong one, says what to do, and stores no team", async () => {
    await initOnServer("refused.qc");
    const without = await qc.run(["team", "create", "-p", "refused.qc", "--json"]);
    expect(without.code).not.toBe(0);
    expect(without.stdout).toBe("");
    expect(without.stderr).toMatch(/requires a project creation key.*--creation-key KEY or in \$QC_PROJECT_CREATION_KEY/);
    const wrong = await qc.run(["team", "create", "-p", "refused.qc", "--creation-key", "not-the-key"]);
    expect(wrong.code).toBe(without.code);
    expect(wrong.stderr).toMatch(/creation key is not this deployment's/);
    expect(wrong.stderr).not.toContain("not-the-key");
    const settings = await qc.json(["settings", "show", "-p", "refused.qc"]);
    expect(settings).toMatchObject({ cloudSyncEnabled: true, token: null });
    const invite = await qc.run(["team", "invite", "Ben", "--role", "editor", "-p", "refused.qc"]);
    expect(invite.stderr).toMatch(/qc team create/);
  });

  it("accepts the key from --creation-key or $QC_PROJECT_CREATION_KEY, and never shows or stores it", async () => {
    await initOnServer("flag.qc");
    const byFlag = await qc.run(["team", "create", "-p", "flag.qc", "--creation-key", KEY, "--json"]);
    expect(byFlag.code).toBe(0);
    expect(JSON.parse(byFlag.stdout)).toMatchObject({ convexUrl: backend.url, token: expect.stringMatching(/^….{4}$/) });

    await initOnServer("env.qc");
    const byEnv = await qc.run(["team", "create", "-p", "env.qc"], { QC_PROJECT_CREATION_KEY: KEY });
    expect(byEnv.code).toBe(0);

    const after: Array<QcResult> = [];
    for (const f of ["flag.qc", "env.qc"])
      for (const command of [["settings", "show"], ["sync", "--once"], ["status"], ["log"]]) {
        const r = await qc.run([...command, "-p", f, "--json"]);
        expect(r.code, `${command.join(" ")}: ${r.stderr}`).toBe(0);
        after.push(r);
      }
    expectNoKey(byFlag, byEnv, ...after);
    expect(fileBytes("flag.qc")).not.toContain(KEY);
    expect(fileBytes("env.qc")).not.toContain(KEY);
    const members = await qc.json<Array<{ actor: string; role: string }>>(["team", "list", "-p", "flag.qc"]);
    expect(members.map((m) => `${m.actor}:${m.role}`)).toEqual(["Ana:owner"]);
  });
});
