/**
 * "Received late" on the History timeline, in real Chromium: Ana's file is
 * made by a replica whose clock says 2001 (offline work, or a wrong clock;
 * the cheapest honest way to get an op authored long before it reaches the
 * server), so its edits are stamped then. She publishes the project now
 * (`qc team create` pushes them), renames the code promptly, and invites
 * Ben. On Ben's page the 2001 edit shows when it was written, when the
 * server received it, and the flag; the prompt rename shows no flag.
 */
import { startLocalBackend, type LocalBackend } from "@qc/convex-backend/testing";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProjectFile } from "../../src/project/project-file.js";
import { RECEIVED_LATE_TEXT } from "../../src/project/receipt-text.js";
import { makeQcRunner, type QcRunner } from "../support/cli.js";
import { POLL, openBrowser, screenshot, serve, type Researcher, type Served } from "../support/web.js";

const Y2001 = Date.UTC(2001, 5, 1, 12, 0, 0);

let qc: QcRunner;
let backend: LocalBackend;
let served: Served | undefined;
let ben: Researcher | undefined;
beforeAll(async () => {
  [qc, backend] = await Promise.all([makeQcRunner(), startLocalBackend()]);
  const replica = createProjectFile(join(qc.dir, "ana.qc"), { actor: "Ana", name: "Flood study", clock: () => Y2001 });
  replica.commands.createCode({ name: "Written in 2001", color: "#aa0000" });
  replica.close();
  for (const args of [
    ["settings", "set", "convex-url", backend.url, "-p", "ana.qc"],
    ["settings", "set", "cloud-sync", "on", "-p", "ana.qc"],
    ["team", "create", "-p", "ana.qc"],
    ["code", "rename", "Written in 2001", "Renamed today", "-p", "ana.qc"],
    ["sync", "--once", "-p", "ana.qc"],
  ]) {
    const result = await qc.run(args);
    expect(result.code, `qc ${args.join(" ")}: ${result.stderr}`).toBe(0);
  }
  const { invite } = await qc.json<{ invite: string }>(["team", "invite", "Ben", "--role", "editor", "-p", "ana.qc"]);
  expect((await qc.run(["join", invite, "ben.qc", "--actor", "Ben"])).code).toBe(0);
});
afterAll(async () => {
  await ben?.close();
  await served?.stop();
  await backend.stop();
  qc.cleanup();
});

describe("History on a colleague's page", () => {
  it("flags the edit written in 2001 that reached the server today, with both times; the prompt rename is not flagged", async () => {
    served = await serve(qc, "ben.qc");
    ben = await openBrowser(`${served.launchUrl}#/history`);
    const page = ben.page;
    const created = page.locator("tr[data-op]").filter({ hasText: "created code “Renamed today”" });
    const renamed = page.locator("tr[data-op]").filter({ hasText: "renamed code to “Renamed today”" });
    await created.waitFor();
    const late = created.locator(".received-late");
    expect(await late.textContent()).toContain(RECEIVED_LATE_TEXT);
    expect(await late.textContent()).toContain("received by the server");
    expect(await created.getByRole("img", { name: RECEIVED_LATE_TEXT }).count()).toBe(1);
    expect(await created.locator("time").getAttribute("datetime")).toBe(new Date(Y2001).toISOString());
    expect(await created.locator("time").textContent()).toContain("2001");
    // The server's receive time is today's, not 2001's.
    expect(await late.textContent()).toContain(String(new Date().getFullYear()));
    await expect.poll(() => renamed.locator(".received").count(), POLL).toBe(1);
    expect(await renamed.textContent()).not.toContain(RECEIVED_LATE_TEXT);
    expect(await renamed.locator(".received-late").count()).toBe(0);
    await screenshot(page, "history-received-late");
  });
});
