/**
 * Settings › Team in real Chromium, each action checked against the sync
 * server (the local Convex-protocol backend) through the CLI: creating the
 * team is refused beside the button while cloud sync is off, then asks for
 * the deployment's project-creation key when it requires one, and makes Ana
 * the owner; an invite with no name, or for a name already in the team, is
 * refused beside the form and nothing is stored; an invite is shown once and
 * works (`qc join`) with its role (a viewer's edits are refused); revoke
 * makes the member's token refused; a revoked member pastes a new invite on
 * their own page and syncs again; a wrong invite is refused beside the box.
 */
import { startLocalBackend, type LocalBackend } from "@qc/convex-backend/testing";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { makeQcRunner, type QcRunner } from "../support/cli.js";
import { POLL, indicator, openBrowser, screenshot, serve, type Researcher, type Served } from "../support/web.js";

const SYNCED = { timeout: 30_000, interval: 50 } as const;
const CREATION_KEY = "web-creation-key-5d1e";

interface Member {
  readonly actor: string;
  readonly role: string;
  readonly revoked: boolean;
}

let qc: QcRunner;
let backend: LocalBackend;
const servers: Array<Served> = [];
const browsers: Array<Researcher> = [];
let ana: Page;
let chloeInvite: string;
beforeAll(async () => {
  [qc, backend] = await Promise.all([makeQcRunner(), startLocalBackend()]);
  expect((await qc.run(["init", "ana.qc", "--name", "Flood study", "--actor", "Ana"])).code).toBe(0);
  servers.push(await serve(qc, "ana.qc"));
  browsers.push(await openBrowser(`${servers[0]!.launchUrl}`));
  ana = browsers[0]!.page;
  await ana.getByRole("link", { name: "Settings" }).click();
  await ana.getByRole("heading", { name: "Team" }).waitFor();
});
afterAll(async () => {
  vi.unstubAllEnvs();
  for (const b of browsers) await b.close();
  for (const s of servers) await s.stop();
  await backend.stop();
  qc.cleanup();
});

const members = (file: string) => qc.json<ReadonlyArray<Member>>(["team", "list", "-p", file]);
const tokenOf = async (file: string) => (await qc.json<{ token: string | null }>(["settings", "show", "-p", file])).token;
const row = (page: Page, actor: string) => page.locator(`tr[data-member="${actor}"]`);

async function inviteOnPage(page: Page, name: string, role: "editor" | "viewer"): Promise<string> {
  await page.getByLabel("Colleague's name").fill(name);
  await page.getByLabel("Role").selectOption(role);
  await page.getByRole("button", { name: "Create invite" }).click();
  const invite = page.getByRole("textbox", { name: `Invite for ${name}` });
  await invite.waitFor();
  return invite.inputValue();
}

describe("Settings › Team", () => {
  it("Create team is refused beside the button while cloud sync is off (no URL yet), and nothing is sent", async () => {
    await ana.getByRole("button", { name: "Create team" }).click();
    await expect.poll(() => ana.locator("#team-create-error").textContent(), POLL).toContain("Cloud sync is off");
    await screenshot(ana, "team-create-refused");
    expect(await tokenOf("ana.qc")).toBeNull();
  });

  it("with sync on: a deployment that requires a project-creation key asks for it; with the key Ana owns the team", async () => {
    await ana.getByLabel("Enable cloud sync with Convex").check();
    await ana.getByLabel("Convex deployment URL").fill(backend.url);
    await ana.getByRole("button", { name: "Save" }).click();
    await ana.getByText("Saved. Cloud sync is on.").waitFor();
    // The backend runs in this process and reads the key from its environment when a project is created.
    vi.stubEnv("QC_PROJECT_CREATION_KEY", CREATION_KEY);
    await ana.getByRole("button", { name: "Create team" }).click();
    await expect.poll(() => ana.locator("#team-create-error").textContent(), POLL).toContain("requires a project creation key");
    expect(await ana.locator("#team-create-error").textContent()).toContain("Enter it in “Project-creation key”");
    expect(await tokenOf("ana.qc")).toBeNull();
    await ana.getByLabel("Project-creation key").fill(CREATION_KEY);
    await ana.getByRole("button", { name: "Create team" }).click();
    await row(ana, "Ana").waitFor();
    vi.unstubAllEnvs();
    expect(await row(ana, "Ana").textContent()).toContain("Owner");
    expect(await ana.getByRole("table", { name: "Team members" }).textContent()).not.toContain(CREATION_KEY);
    expect(await members("ana.qc")).toEqual([{ actor: "Ana", role: "owner", revoked: false }]);
    await expect.poll(() => indicator(ana).getAttribute("data-state"), SYNCED).toBe("synced");
  });

  it("an invite with no name, or for a member already in the team, is refused beside the form and nothing is stored", async () => {
    await ana.getByLabel("Colleague's name").fill("   ");
    await ana.getByRole("button", { name: "Create invite" }).click();
    await expect.poll(() => ana.locator("#invite-error").textContent(), POLL).toContain("Type your colleague's name first");
    expect(await ana.getByLabel("Colleague's name").getAttribute("aria-invalid")).toBe("true");
    await screenshot(ana, "team-invite-refused");
    await ana.getByLabel("Colleague's name").fill("Ana");
    await ana.getByRole("button", { name: "Create invite" }).click();
    await expect.poll(() => ana.locator("#invite-error").textContent(), POLL).toContain("already a member");
    expect(await members("ana.qc")).toEqual([{ actor: "Ana", role: "owner", revoked: false }]);
  });

  it("an invite is shown once and works with its role: an editor joins and syncs, a viewer's edits are refused", async () => {
    const benInvite = await inviteOnPage(ana, "Ben", "editor");
    expect(benInvite).toMatch(/^qc1\./);
    await row(ana, "Ben").waitFor();
    expect(await row(ana, "Ben").textContent()).toContain("Editor");
    await screenshot(ana, "team-invite-shown");
    await ana.getByRole("button", { name: "Done: hide the invite" }).click();
    expect(await ana.getByRole("textbox", { name: "Invite for Ben" }).count()).toBe(0);
    await ana.reload();
    await row(ana, "Ben").waitFor();
    expect(await ana.content()).not.toContain(benInvite);

    chloeInvite = await inviteOnPage(ana, "Chloe", "viewer");
    await row(ana, "Chloe").waitFor();
    expect(await members("ana.qc")).toEqual(
      expect.arrayContaining([
        { actor: "Ben", role: "editor", revoked: false },
        { actor: "Chloe", role: "viewer", revoked: false },
      ]),
    );
    expect((await qc.run(["join", benInvite, "ben.qc", "--actor", "Ben"])).code).toBe(0);
    expect((await qc.run(["code", "add", "From Ben", "--color", "#3a7bd5", "-p", "ben.qc"])).code).toBe(0);
    expect((await qc.run(["sync", "--once", "-p", "ben.qc"])).code).toBe(0);
    expect((await qc.run(["join", chloeInvite, "chloe.qc", "--actor", "Chloe"])).code).toBe(0);
    expect((await qc.run(["code", "add", "From Chloe", "--color", "#3a7bd5", "-p", "chloe.qc"])).code).toBe(0);
    expect((await qc.run(["sync", "--once", "-p", "chloe.qc"])).code).toBe(6);
    await ana.getByRole("link", { name: "Codes" }).click();
    await ana.locator('button.node[data-name="From Ben"]').waitFor({ timeout: SYNCED.timeout });
    expect(await ana.locator('button.node[data-name="From Chloe"]').count()).toBe(0);
  });

  it("revoke (after a confirmation) makes the member's token refused by the server", async () => {
    await ana.getByRole("link", { name: "Settings" }).click();
    await ana.getByRole("button", { name: "Revoke Ben's access" }).click();
    await ana.getByRole("group", { name: "Confirm revoking Ben" }).waitFor();
    await screenshot(ana, "team-revoke-confirm");
    await ana.getByRole("button", { name: "Revoke access" }).click();
    await expect.poll(() => row(ana, "Ben").textContent(), POLL).toContain("Revoked");
    expect(await ana.getByRole("button", { name: "Revoke Ben's access" }).count()).toBe(0);
    expect(await members("ana.qc")).toContainEqual({ actor: "Ben", role: "editor", revoked: true });
    expect((await qc.run(["code", "add", "After revoke", "--color", "#3a7bd5", "-p", "ben.qc"])).code).toBe(0);
    const refused = await qc.run(["sync", "--once", "-p", "ben.qc"]);
    expect(refused.code).toBe(6);
    expect(refused.stderr).toMatch(/token/);
  });

  it("the revoked member's page says so; a wrong invite is refused beside the box; with a new invite the member syncs again", async () => {
    expect(await ana.getByRole("heading", { name: "Use a new invite" }).count()).toBe(0); // the owner cannot be revoked
    const newInvite = await inviteOnPage(ana, "Ben", "editor");
    servers.push(await serve(qc, "ben.qc"));
    browsers.push(await openBrowser(`${servers[1]!.launchUrl}#/settings`));
    const ben = browsers[1]!.page;
    await expect.poll(() => indicator(ben).getAttribute("data-state"), SYNCED).toBe("error");
    await ben.getByRole("heading", { name: "Use a new invite" }).waitFor();
    await expect.poll(() => ben.locator(".team").textContent(), POLL).toContain("the owner revoked your access");
    await screenshot(ben, "team-revoked-member");
    const tokenBefore = await tokenOf("ben.qc");
    await ben.getByLabel("Invite", { exact: true }).fill("not an invite");
    await ben.getByRole("button", { name: "Use this invite" }).click();
    await expect.poll(() => ben.locator("#use-invite-error").textContent(), POLL).toContain("this is not a qc invite");
    await ben.getByLabel("Invite", { exact: true }).fill(chloeInvite);
    await ben.getByRole("button", { name: "Use this invite" }).click();
    await expect.poll(() => ben.locator("#use-invite-error").textContent(), POLL).toContain('this invite is for "Chloe"');
    expect(await tokenOf("ben.qc")).toBe(tokenBefore);
    await ben.getByLabel("Invite", { exact: true }).fill(newInvite);
    await ben.getByRole("button", { name: "Use this invite" }).click();
    await ben.getByText("Done: this file now syncs with the team as Ben.").waitFor();
    await expect.poll(() => indicator(ben).getAttribute("data-state"), SYNCED).toBe("synced");
    await row(ben, "Ben").waitFor();
    expect(await row(ben, "Ben").textContent()).toContain("Active");
    expect(await ben.getByText("Only the project's owner can invite colleagues or revoke access.").count()).toBe(1);
    expect(await ben.getByRole("button", { name: "Create invite" }).count()).toBe(0);
    await screenshot(ben, "team-member-view");
    // The edit Ben made while revoked was kept in his file: with the new token it reaches Ana.
    await ana.getByRole("link", { name: "Codes" }).click();
    await ana.locator('button.node[data-name="After revoke"]').waitFor({ timeout: SYNCED.timeout });
  });
});
