/**
 * Settings > Database and the sync status indicator in real Chromium, over
 * `qc serve` child processes and the local Convex-protocol backend: the
 * indicator off, then on with a URL (synced; "connecting" when the page
 * catches it); refused URLs
 * shown beside the field with nothing saved; the setting kept across a
 * restart of qc serve; the backend stopped (offline, the waiting count
 * growing with each edit) and restarted (synced, nothing waiting); a revoked
 * token (the error with its reason and the actions).
 */
import { startLocalBackend, type LocalBackend } from "@qc/convex-backend/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeQcRunner, type QcRunner } from "../support/cli.js";
import {
  POLL,
  indicator,
  openBrowser,
  recordStates,
  recordedStates,
  screenshot,
  serve,
  type Researcher,
  type Served,
} from "../support/web.js";

let qc: QcRunner;
let backend: LocalBackend;
let served: Served | undefined;
let ana: Researcher | undefined;
beforeAll(async () => {
  [qc, backend] = await Promise.all([makeQcRunner(), startLocalBackend()]);
  expect((await qc.run(["init", "ana.qc", "--name", "Flood study", "--actor", "Ana"])).code).toBe(0);
  expect((await qc.run(["settings", "set", "convex-url", backend.url, "-p", "ana.qc"])).code).toBe(0);
  expect((await qc.run(["team", "create", "-p", "ana.qc"])).code).toBe(0);
});
afterAll(async () => {
  await ana?.close();
  await served?.stop();
  await backend.stop();
  qc.cleanup();
});

const settingsOf = (file: string) => qc.json<{ cloudSyncEnabled: boolean; convexUrl: string | null }>(["settings", "show", "-p", file]);

describe("Settings > Database and the status indicator", () => {
  it("cloud sync off: the indicator says so; a bad URL and a .convex.site URL are refused beside the field and nothing is saved", async () => {
    served = await serve(qc, "ana.qc");
    ana = await openBrowser(served.launchUrl);
    const page = ana.page;
    await expect.poll(() => indicator(page).getAttribute("data-state"), POLL).toBe("disabled");
    await expect.poll(() => indicator(page).textContent(), POLL).toContain("Cloud sync off — saved on this computer");
    await page.getByRole("link", { name: "Settings" }).click();
    await page.getByText("Primary storage: SQLite (Local)").waitFor();
    expect(await page.getByLabel("Convex deployment URL").count()).toBe(0);
    await page.getByLabel("Enable cloud sync with Convex").check();
    const url = page.getByLabel("Convex deployment URL");
    await url.fill("not a url");
    await page.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => page.locator("#convex-url-error").textContent(), POLL).toContain("is not a deployment URL");
    await expect.poll(() => url.getAttribute("aria-invalid"), POLL).toBe("true");
    await url.fill("https://happy-otter-123.convex.site");
    await page.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => page.locator("#convex-url-error").textContent(), POLL).toContain("https://happy-otter-123.convex.cloud");
    await screenshot(page, "settings-refused-url");
    expect(await settingsOf("ana.qc")).toMatchObject({ cloudSyncEnabled: false, convexUrl: backend.url });
    await expect.poll(() => indicator(page).getAttribute("data-state"), POLL).toBe("disabled");
  });

  it("on with the URL: Test connection answers, Save turns sync on at once (from off to synced), and a restart of qc serve keeps it", async () => {
    const page = ana!.page;
    await recordStates(page);
    const url = page.getByLabel("Convex deployment URL");
    await url.fill(backend.url);
    await page.getByRole("button", { name: "Test connection" }).click();
    await page.getByText(/Connected: the sync server accepts this computer/).waitFor();
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Saved. Cloud sync is on.").waitFor();
    await expect.poll(() => indicator(page).getAttribute("data-state"), POLL).toBe("synced");
    await expect.poll(() => indicator(page).textContent(), POLL).toContain("Synced since");
    await page.getByRole("button", { name: "Sync now" }).waitFor();
    // "connecting" lasts as long as the handshake, so the page may or may not catch it between the two.
    const states = await recordedStates(page);
    expect(states[0]).toBe("disabled");
    expect(states.at(-1)).toBe("synced");
    // connecting and syncing are transient (a fast first push may skip either): allowed between, not required.
    expect(states.filter((s) => s !== "connecting" && s !== "syncing")).toEqual(["disabled", "synced"]);
    await screenshot(page, "settings-synced");

    await ana!.close();
    await served!.stop();
    served = await serve(qc, "ana.qc");
    ana = await openBrowser(`${served.launchUrl}#/settings`);
    const again = ana.page;
    await expect.poll(() => again.getByLabel("Enable cloud sync with Convex").isChecked(), POLL).toBe(true);
    await expect.poll(() => again.getByLabel("Convex deployment URL").inputValue(), POLL).toBe(backend.url);
    await expect.poll(() => indicator(again).getAttribute("data-state"), POLL).toBe("synced");
  });

  it("backend stopped: offline, and the waiting count grows as the researcher edits; restarted: synced with nothing waiting", async () => {
    const page = ana!.page;
    await page.getByRole("link", { name: "Codes" }).click();
    await backend.stop();
    try {
      await expect.poll(() => indicator(page).getAttribute("data-state"), { timeout: 20_000 }).toBe("offline");
      for (const [n, name] of [
        [1, "Hope"],
        [2, "Fear"],
        [3, "Money"],
      ] as const) {
        await page.getByLabel("New code").fill(name);
        await page.getByRole("button", { name: "Create" }).click();
        await expect.poll(() => indicator(page).textContent(), POLL).toContain(`${n} edit${n === 1 ? "" : "s"} waiting to sync`);
      }
      await expect.poll(() => indicator(page).textContent(), POLL).toContain("Offline");
      await screenshot(page, "codes-offline");
      await recordStates(page);
    } finally {
      await backend.restart();
    }
    await expect.poll(() => indicator(page).getAttribute("data-state"), { timeout: 30_000 }).toBe("synced");
    await expect.poll(() => indicator(page).getAttribute("data-to-push"), POLL).toBe("0");
    // The engine publishes offline -> synced for a small backlog (no "syncing" in between: it
    // pushes before it republishes); the indicator shows what the engine publishes.
    expect((await recordedStates(page)).at(-1)).toBe("synced");
    await expect.poll(() => indicator(page).textContent(), POLL).not.toContain("waiting");
  });

  it("a revoked token: the indicator shows the error with its reason, what to do, and the actions", async () => {
    const invited = await qc.json<{ invite: string }>(["team", "invite", "Ben", "--role", "editor", "-p", "ana.qc"]);
    expect((await qc.run(["join", invited.invite, "ben.qc", "--actor", "Ben"])).code).toBe(0);
    const benServed = await serve(qc, "ben.qc");
    const ben = await openBrowser(benServed.launchUrl);
    try {
      await expect.poll(() => indicator(ben.page).getAttribute("data-state"), POLL).toBe("synced");
      expect((await qc.run(["team", "revoke", "Ben", "-p", "ana.qc"])).code).toBe(0);
      await ben.page.getByLabel("New code").fill("After revoke");
      await ben.page.getByRole("button", { name: "Create" }).click();
      await expect.poll(() => indicator(ben.page).getAttribute("data-state"), { timeout: 20_000 }).toBe("error");
      await expect.poll(() => indicator(ben.page).textContent(), POLL).toContain("refused this researcher's token");
      await expect.poll(() => indicator(ben.page).textContent(), POLL).toContain("ask the project owner for a new invite");
      await ben.page.getByRole("button", { name: "Open settings" }).waitFor();
      await ben.page.getByRole("button", { name: "Retry" }).waitFor();
      // The server's own words are folded away: they are for whoever runs the server.
      const serverSaid = indicator(ben.page).locator("details.status-server");
      expect(await serverSaid.evaluate((d: HTMLDetailsElement) => d.open)).toBe(false);
      expect(await indicator(ben.page).locator(".status-detail").textContent()).not.toContain("server:");
      await serverSaid.locator("summary").click();
      expect(await serverSaid.textContent()).toMatch(/What the server said.*token/s);
      await screenshot(ben.page, "status-error-revoked");
      await ben.page.getByRole("button", { name: "Open settings" }).click();
      await ben.page.getByRole("heading", { name: "Settings › Database" }).waitFor();
    } finally {
      await ben.close();
      await benServed.stop();
    }
  });
});
