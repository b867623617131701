/**
 * Coding a passage with the keyboard only, in real Chromium over a `qc
 * serve` child process: Tab to "Or type the passage to code", type its
 * words, Enter, Tab to the code, choose it with the arrow keys, Tab to
 * "Code the selection", Enter. Words not in the text, or found more than
 * once, are answered beside the field and nothing is coded.
 */
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openProject } from "../../src/project/index.js";
import { makeQcRunner, type QcRunner } from "../support/cli.js";
import { POLL, openBrowser, screenshot, serve, type Researcher, type Served } from "../support/web.js";

const TEXT = "The water rose at night. We carried the children upstairs. The water went down after three days.";

let qc: QcRunner;
let served: Served;
let ana: Researcher;
let source: string;
beforeAll(async () => {
  qc = await makeQcRunner();
  expect((await qc.run(["init", "p.qc", "--name", "Flood study", "--actor", "Ana"])).code).toBe(0);
  const setup = openProject(join(qc.dir, "p.qc"), {});
  source = setup.replica.commands.importTextSource({ name: "Interview 1", text: TEXT });
  // Made in this order so that the picker's order by name (Family first) is what the arrow key meets, not creation order.
  setup.replica.commands.createCode({ name: "Water", color: "#00aa88" });
  setup.replica.commands.createCode({ name: "Family", color: "#3366cc" });
  await setup.close();
  served = await serve(qc, "p.qc");
  ana = await openBrowser(served.launchUrl);
});
afterAll(async () => {
  await ana?.close();
  await served?.stop();
  qc.cleanup();
});

/** Presses Tab until the element with `id` has the focus (at most 40 times). */
async function tabTo(page: Page, id: string): Promise<void> {
  for (let i = 0; i < 40; i += 1) {
    if (await page.evaluate((want) => document.activeElement?.id === want || document.activeElement?.textContent === want, id)) return;
    await page.keyboard.press("Tab");
  }
  throw new Error(`Tab never reached ${id}`);
}

describe("coding from the keyboard", () => {
  it("types the passage, picks the code with the arrow keys and codes it with Enter; bad words are answered beside the field", async () => {
    const { page } = ana;
    await page.goto(`${served.origin}/#/sources/${source}`);
    await page.getByRole("heading", { name: "Interview 1" }).waitFor();

    await tabTo(page, "find-passage");
    await page.keyboard.type("The water");
    await page.keyboard.press("Enter");
    await expect.poll(() => page.getByRole("alert").textContent(), POLL).toContain("appears more than once");
    await page.keyboard.press("Control+A");
    await page.keyboard.type("the babies");
    await page.keyboard.press("Enter");
    await expect.poll(() => page.getByRole("alert").textContent(), POLL).toContain("is not in this text");
    expect(await page.getByRole("button", { name: "Code the selection" }).count()).toBe(0);

    await page.keyboard.press("Control+A");
    await page.keyboard.type("We carried the children upstairs");
    await page.keyboard.press("Enter");
    await page.getByText("Selected:").waitFor();
    await tabTo(page, "pick-code");
    await page.keyboard.press("ArrowDown"); // "Family", the first code by name
    await tabTo(page, "Code the selection");
    await screenshot(page, "source-keyboard-selected");
    await page.keyboard.press("Enter");
    const mark = page.locator("mark.run", { hasText: "We carried the children upstairs" });
    await mark.waitFor();
    expect(await mark.getAttribute("title")).toContain("Family — coded by Ana");
    await screenshot(page, "source-keyboard-coded");

    const check = openProject(join(qc.dir, "p.qc"), {});
    try {
      expect(check.replica.read.segments().map((g) => g.text)).toEqual(["We carried the children upstairs"]);
    } finally {
      await check.close();
    }
  });
});
