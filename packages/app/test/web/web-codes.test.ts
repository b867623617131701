/**
 * The Codes page in real Chromium over a `qc serve` child process (cloud
 * sync off): create categories and codes, rename, recolour, move by the
 * menu and by drag and drop, filter, merge, delete and restore; the
 * keyboard moves through the tree; a refused edit is shown in the panel
 * where it was made, and nothing changes.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeQcRunner, type QcRunner } from "../support/cli.js";
import { POLL, openBrowser, screenshot, serve, type Researcher, type Served } from "../support/web.js";

let qc: QcRunner;
let served: Served;
let ana: Researcher;
beforeAll(async () => {
  qc = await makeQcRunner();
  expect((await qc.run(["init", "p.qc", "--name", "Flood study", "--actor", "Ana"])).code).toBe(0);
  served = await serve(qc, "p.qc");
  ana = await openBrowser(served.launchUrl);
});
afterAll(async () => {
  await ana?.close();
  await served?.stop();
  qc.cleanup();
});

const node = (page: Page, name: string) => page.locator(`button.node[data-name="${name}"]`);
const inCategory = (page: Page, category: string, name: string) =>
  page.locator(`li:has(> button[data-name="${category}"]) button.node[data-name="${name}"]`);

async function create(page: Page, name: string, kind: "Code" | "Category" = "Code"): Promise<void> {
  await page.getByLabel("Kind").selectOption({ label: kind });
  await page.getByLabel(/^New (code|category)$/).fill(name);
  await page.getByRole("button", { name: "Create" }).click();
  await node(page, name).waitFor();
}

describe("the Codes page", () => {
  it("starts with a clear empty state, then creates categories and codes with colours and counts", async () => {
    const page = ana.page;
    await page.getByText("No codes yet. Create the first one above.").waitFor();
    await screenshot(page, "codes-empty");
    await create(page, "Feelings", "Category");
    for (const name of ["Hope", "Fear", "Dread"]) await create(page, name);
    expect(await node(page, "Hope").locator(".count").textContent()).toBe("0");
    expect(await node(page, "Hope").locator(".swatch").getAttribute("style")).toMatch(/background: (#|rgb)/);
  });

  it("renames, recolours, and moves by the menu and by drag and drop", async () => {
    const page = ana.page;
    await node(page, "Hope").click();
    await page.getByLabel("Name", { exact: true }).fill("Hopefulness");
    await page.getByRole("button", { name: "Rename" }).click();
    await node(page, "Hopefulness").waitFor();
    await page.getByLabel("Colour").fill("#cc0000");
    await expect.poll(() => node(page, "Hopefulness").locator(".swatch").getAttribute("style"), POLL).toContain("rgb(204, 0, 0)");
    await page.getByLabel("Move to").selectOption({ label: "Feelings" });
    await inCategory(page, "Feelings", "Hopefulness").waitFor();
    await node(page, "Fear").dragTo(node(page, "Feelings"));
    await inCategory(page, "Feelings", "Fear").waitFor();
    await node(page, "Fear").dragTo(page.locator(".tree-drop > p.hint"));
    await expect.poll(() => inCategory(page, "Feelings", "Fear").count(), POLL).toBe(0);
    await node(page, "Fear").dragTo(node(page, "Feelings"));
    await inCategory(page, "Feelings", "Fear").waitFor();
    await screenshot(page, "codes-tree");
  });

  it("filters the tree, keeping the categories of what matches", async () => {
    const page = ana.page;
    await page.getByLabel("Filter").fill("fea");
    await node(page, "Fear").waitFor();
    await node(page, "Feelings").waitFor();
    await expect.poll(() => node(page, "Hopefulness").count(), POLL).toBe(0);
    expect(await node(page, "Dread").count()).toBe(0);
    await page.getByLabel("Filter").fill("nothing like this");
    await page.getByText("No code or category matches “nothing like this”.").waitFor();
    await page.getByLabel("Filter").fill("");
    await node(page, "Dread").waitFor();
  });

  it("merges a code into another, deletes one and restores it", async () => {
    const page = ana.page;
    await node(page, "Dread").click();
    await page.getByLabel("Merge into").selectOption({ label: "Fear" });
    await page.getByRole("button", { name: "Merge" }).click();
    await expect.poll(() => node(page, "Dread").count(), POLL).toBe(0);
    await node(page, "Hopefulness").click();
    await page.getByRole("button", { name: "Delete code" }).click();
    await expect.poll(() => node(page, "Hopefulness").count(), POLL).toBe(0);
    await page.getByText("Deleted (1)").click();
    await page.getByRole("button", { name: "Restore Hopefulness" }).click();
    await inCategory(page, "Feelings", "Hopefulness").waitFor();
  });

  it("a refused rename is shown in the panel and changes nothing; the keyboard moves through the tree", async () => {
    const page = ana.page;
    await node(page, "Fear").click();
    await page.getByLabel("Name", { exact: true }).fill("   ");
    await page.getByRole("button", { name: "Rename" }).click();
    const alert = page.locator(".panel [role=alert]");
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/name/i);
    await screenshot(page, "codes-refused-rename");
    expect(await node(page, "Fear").count()).toBe(1);
    await node(page, "Feelings").focus();
    await page.keyboard.press("ArrowDown");
    expect(await page.evaluate(() => document.activeElement?.getAttribute("data-name"))).toBe("Fear");
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Code: Fear" }).waitFor();
  });
});
