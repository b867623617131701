/**
 * Two researchers side by side in real Chromium: two `qc serve` processes
 * on two replica files of one project, synced through the local
 * Convex-protocol backend, one browser each. What one does appears on the
 * other's page without a reload: a code created, renamed and used to code
 * a passage; two people typing in one memo at once keep both texts; two
 * renames made offline appear as a conflict in both inboxes, and settling
 * it on one clears it on both; History shows the earlier tree "as of" a
 * moment, and an undo from the timeline reaches the other page.
 */
import { startLocalBackend, type LocalBackend } from "@qc/convex-backend/testing";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeQcRunner, type QcRunner } from "../support/cli.js";
import { POLL, openBrowser, screenshot, serve, type Researcher, type Served } from "../support/web.js";

const SYNCED = { timeout: 30_000, interval: 50 } as const;
const TEXT = "We lost the house in the flood, but we kept hope and we rebuilt.";

let qc: QcRunner;
let backend: LocalBackend;
const servers: Array<Served> = [];
let ana: Researcher;
let ben: Researcher;
beforeAll(async () => {
  [qc, backend] = await Promise.all([makeQcRunner(), startLocalBackend()]);
  for (const args of [
    ["init", "ana.qc", "--name", "Flood study", "--actor", "Ana"],
    ["settings", "set", "convex-url", backend.url, "-p", "ana.qc"],
    ["settings", "set", "cloud-sync", "on", "-p", "ana.qc"],
    ["team", "create", "-p", "ana.qc"],
  ]) {
    expect((await qc.run(args)).code).toBe(0);
  }
  const { invite } = await qc.json<{ invite: string }>(["team", "invite", "Ben", "--role", "editor", "-p", "ana.qc"]);
  expect((await qc.run(["join", invite, "ben.qc", "--actor", "Ben"])).code).toBe(0);
  servers.push(await serve(qc, "ana.qc"), await serve(qc, "ben.qc"));
  [ana, ben] = await Promise.all([openBrowser(servers[0]!.launchUrl), openBrowser(servers[1]!.launchUrl)]);
  for (const page of [ana.page, ben.page]) await page.evaluate(() => ((window as unknown as { __sameLoad: boolean }).__sameLoad = true));
});
afterAll(async () => {
  await Promise.all([ana?.close(), ben?.close()]);
  for (const s of servers) await s.stop();
  await backend.stop();
  qc.cleanup();
});

const node = (page: Page, name: string) => page.locator(`button.node[data-name="${name}"]`);
const notReloaded = (page: Page) => page.evaluate(() => (window as unknown as { __sameLoad?: boolean }).__sameLoad === true);

async function selectText(page: Page, phrase: string): Promise<void> {
  await page.locator(".source-text").waitFor();
  await page.evaluate((p) => {
    const box = document.querySelector(".source-text")!;
    const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
    const nodes: Array<{ node: Node; from: number }> = [];
    let all = "";
    for (let n = walker.nextNode(); n !== null; n = walker.nextNode()) {
      nodes.push({ node: n, from: all.length });
      all += n.textContent!;
    }
    const at = all.indexOf(p);
    if (at === -1) throw new Error(`"${p}" is not in the source text`);
    const locate = (offset: number, end: boolean) => {
      const hit = nodes.findLast((x) => (end ? x.from < offset : x.from <= offset))!;
      return [hit.node, offset - hit.from] as const;
    };
    const range = document.createRange();
    range.setStart(...locate(at, false));
    range.setEnd(...locate(at + p.length, true));
    getSelection()!.removeAllRanges();
    getSelection()!.addRange(range);
    box.dispatchEvent(new MouseEvent("mouseup", { bubbles: true }));
  }, phrase);
}

describe("two researchers side by side", () => {
  it("a code created, renamed and used to code a passage on one page appears on the other without a reload", async () => {
    await ana.page.getByRole("link", { name: "Sources" }).click();
    await ben.page.getByRole("link", { name: "Sources" }).click();
    await ben.page.getByText("No sources yet.").waitFor();
    await screenshot(ben.page, "sources-empty");
    await ana.page.getByLabel("Name").fill("Interview 1");
    await ana.page.getByLabel("Text").fill(TEXT);
    await ana.page.getByRole("button", { name: "Add source" }).click();
    await ben.page.getByRole("link", { name: "Interview 1" }).waitFor(SYNCED);

    await ana.page.getByRole("link", { name: "Codes" }).click();
    await ben.page.getByRole("link", { name: "Codes" }).click();
    await ana.page.getByLabel("New code").fill("Hope");
    await ana.page.getByRole("button", { name: "Create" }).click();
    await node(ben.page, "Hope").waitFor(SYNCED);
    await node(ana.page, "Hope").click();
    await ana.page.getByLabel("Name", { exact: true }).fill("Hopefulness");
    await ana.page.getByRole("button", { name: "Rename" }).click();
    await node(ben.page, "Hopefulness").waitFor(SYNCED);
    expect(await node(ben.page, "Hope").count()).toBe(0);

    await ana.page.getByRole("link", { name: "Sources" }).click();
    await ana.page.getByRole("link", { name: "Interview 1" }).click();
    await selectText(ana.page, "we kept hope");
    await ana.page.getByLabel("Code", { exact: true }).selectOption({ label: "Hopefulness" });
    await ana.page.getByRole("button", { name: "Code the selection" }).click();
    await ana.page.locator("mark.run", { hasText: "we kept hope" }).waitFor();
    await screenshot(ana.page, "source-coded");
    await expect.poll(() => node(ben.page, "Hopefulness").locator(".count").textContent(), SYNCED).toBe("1");
    await ben.page.getByRole("link", { name: "Sources" }).click();
    await ben.page.getByRole("link", { name: "Interview 1" }).click();
    const mark = ben.page.locator("mark.run", { hasText: "we kept hope" });
    await mark.waitFor();
    await expect.poll(() => mark.getAttribute("title"), SYNCED).toContain("Hopefulness — coded by Ana");
    expect(await notReloaded(ben.page)).toBe(true);
  });

  it("overlapping codings are drawn as separate runs, 'only mine' hides a colleague's, and a segment marked important is marked on the other page", async () => {
    await ben.page.getByRole("link", { name: "Codes" }).click();
    await ben.page.getByLabel("New code").fill("Loss");
    await ben.page.getByRole("button", { name: "Create" }).click();
    await ben.page.getByRole("link", { name: "Sources" }).click();
    await ben.page.getByRole("link", { name: "Interview 1" }).click();
    await selectText(ben.page, "flood, but we kept");
    await ben.page.getByLabel("Code", { exact: true }).selectOption({ label: "Loss" });
    await ben.page.getByRole("button", { name: "Code the selection" }).click();
    const both = ben.page.locator("mark.run-multi", { hasText: "we kept" });
    await both.waitFor();
    await expect
      .poll(() => both.getAttribute("title"), SYNCED)
      .toMatch(/Hopefulness — coded by Ana[\s\S]*Loss — coded by Ben|Loss — coded by Ben[\s\S]*Hopefulness — coded by Ana/);
    await screenshot(ben.page, "source-overlap");
    await ben.page.getByLabel("Show codings by").selectOption({ label: "Only mine (Ben)" });
    await expect.poll(() => ben.page.locator("mark.run", { hasText: "hope" }).count(), POLL).toBe(0);
    await ben.page.locator("mark.run", { hasText: "flood" }).waitFor();
    await ana.page.locator("mark.run-multi").first().waitFor(SYNCED);

    const benSegment = ben.page.locator(".segment", { hasText: "coded by Ben" });
    await benSegment.getByLabel("Important").check();
    const anaSegment = ana.page.locator(".segment", { hasText: "coded by Ben" });
    await expect.poll(() => anaSegment.getByLabel("Important").isChecked(), SYNCED).toBe(true);
  });

  it("both type in one memo at the same time and both edits survive", async () => {
    await Promise.all([ana.page.getByRole("link", { name: "Memos" }).click(), ben.page.getByRole("link", { name: "Memos" }).click()]);
    const memoA = ana.page.getByLabel("Memo on Hopefulness");
    const memoB = ben.page.getByLabel("Memo on Hopefulness");
    await Promise.all([memoA.waitFor(), memoB.waitFor()]);
    await Promise.all([
      memoA.pressSequentially("Ana: hope comes after the flood. "),
      memoB.pressSequentially("Ben: rebuilding is hope in action."),
    ]);
    for (const memo of [memoA, memoB]) {
      await expect.poll(() => memo.inputValue(), SYNCED).toContain("Ana: hope comes after the flood.");
      await expect.poll(() => memo.inputValue(), SYNCED).toContain("Ben: rebuilding is hope in action.");
    }
    await expect.poll(async () => (await memoA.inputValue()) === (await memoB.inputValue()), SYNCED).toBe(true);
    await screenshot(ana.page, "memos");
  });

  it("two renames made at once appear as one conflict in both inboxes; settling it on one clears it on both", async () => {
    await Promise.all([ana.page.getByRole("link", { name: "Codes" }).click(), ben.page.getByRole("link", { name: "Codes" }).click()]);
    await backend.stop();
    try {
      for (const [page, name] of [
        [ana.page, "Hope (Ana)"],
        [ben.page, "Optimism"],
      ] as const) {
        await node(page, "Hopefulness").click();
        await page.getByLabel("Name", { exact: true }).fill(name);
        await page.getByRole("button", { name: "Rename" }).click();
        await node(page, name).waitFor();
      }
    } finally {
      await backend.restart();
    }
    await Promise.all([
      ana.page.getByRole("link", { name: "Conflicts" }).click(),
      ben.page.getByRole("link", { name: "Conflicts" }).click(),
    ]);
    for (const page of [ana.page, ben.page]) {
      await page.getByRole("button", { name: "Keep Ben’s: “Optimism”" }).waitFor(SYNCED);
      await page.getByRole("button", { name: "Keep Ana’s: “Hope (Ana)”" }).waitFor();
    }
    await screenshot(ben.page, "conflicts");
    await ana.page.getByRole("button", { name: "Keep Ben’s: “Optimism”" }).click();
    for (const page of [ana.page, ben.page]) await page.getByText("No conflicts.").waitFor(SYNCED);
    await ben.page.getByRole("link", { name: "Codes" }).click();
    await node(ben.page, "Optimism").waitFor(SYNCED);
  });

  it("History shows the earlier tree as of a moment, read-only; an undo from the timeline reaches the other page", async () => {
    await ana.page.getByRole("link", { name: "Codes" }).click();
    await ana.page.getByLabel("New code").fill("Temporary");
    await ana.page.getByRole("button", { name: "Create" }).click();
    await node(ben.page, "Temporary").waitFor(SYNCED);

    await ana.page.getByRole("link", { name: "History" }).click();
    const created = ana.page.locator("tr", { hasText: "created code “Optimism”" });
    await created.getByRole("button", { name: /as of/i }).click();
    await ana.page.getByRole("heading", { name: /read-only/ }).waitFor();
    await node(ana.page, "Hope").waitFor();
    expect(await node(ana.page, "Optimism").count()).toBe(0);
    expect(await node(ana.page, "Temporary").count()).toBe(0);
    expect(await ana.page.getByRole("button", { name: "Rename" }).count()).toBe(0);
    await screenshot(ana.page, "history-as-of");
    await ana.page.getByRole("button", { name: "Back to now" }).click();

    await ana.page.getByLabel("Researcher").selectOption("Ana");
    await expect.poll(() => ana.page.locator("tbody tr td:nth-child(2)", { hasText: "Ben" }).count(), POLL).toBe(0);
    expect(await ana.page.locator("tbody tr td:nth-child(2)", { hasText: "Ana" }).count()).toBeGreaterThan(3);
    await screenshot(ana.page, "history");
    await ana.page.locator("tr", { hasText: "created code “Temporary”" }).getByRole("button", { name: /^Undo/ }).click();
    await expect.poll(() => node(ben.page, "Temporary").count(), SYNCED).toBe(0);
    await node(ben.page, "Optimism").waitFor();
    expect(await notReloaded(ben.page)).toBe(true);
    expect(await notReloaded(ana.page)).toBe(true);
    await screenshot(ben.page, "codes");
  });
});
