/**
 * Test support for the web UI: `qc serve` as a real child process (the
 * bundled CLI, see cli.ts) and real Chromium through playwright-core
 * (Debian's /usr/bin/chromium; never `playwright install`), one persistent
 * context per researcher, each with a fresh profile directory, so two
 * researchers keep their own launch cookies. Screenshots go to
 * test-results/screenshots (gitignored) for a reviewer to look at.
 */
import type { ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import type { QcRunner } from "./cli.js";

export const CHROMIUM = "/usr/bin/chromium";
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const SHOTS = fileURLToPath(new URL("../../test-results/screenshots/", import.meta.url));

export interface Served {
  readonly launchUrl: string;
  readonly port: number;
  readonly origin: string;
  readonly stop: () => Promise<void>;
}

/** Starts `qc serve` on `file` and resolves once it prints its launch URL. */
export function serve(qc: QcRunner, file: string, env: Record<string, string> = {}): Promise<Served> {
  const child = qc.spawn(["serve", "-p", file], env);
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    let stdout = "";
    child.once("exit", (code) => reject(new Error(`qc serve ${file} exited ${code}: ${stderr}`)));
    child.stdout!.on("data", (d: Buffer) => {
      stdout += d.toString();
      const url = /http:\/\/127\.0\.0\.1:(\d+)\/\?token=\S+/.exec(stdout);
      if (url === null) return;
      child.removeAllListeners("exit");
      resolve({ launchUrl: url[0], port: Number(url[1]), origin: `http://127.0.0.1:${url[1]}`, stop: () => stop(child) });
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

export interface Researcher {
  readonly page: Page;
  readonly context: BrowserContext;
  readonly close: () => Promise<void>;
}

/** A browser of its own (fresh profile) with the UI opened through the launch URL. */
export async function openBrowser(launchUrl: string): Promise<Researcher> {
  const profile = mkdtempSync(join(tmpdir(), "qc-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1280, height: 860 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(launchUrl);
  await page.getByRole("navigation", { name: "Pages" }).waitFor();
  return {
    page,
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** The status indicator's state attribute and words. */
export function indicator(page: Page) {
  return page
    .getByRole("status")
    .filter({ has: page.locator(".status-words") })
    .first();
}

/** Starts recording every state the indicator shows (read with `recordedStates`). */
export async function recordStates(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __states: Array<string> };
    w.__states = [];
    const note = () => {
      const state = document.querySelector(".status")?.getAttribute("data-state");
      if (state !== null && state !== undefined && w.__states.at(-1) !== state) w.__states.push(state);
    };
    note();
    new MutationObserver(note).observe(document.body, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ["data-state"],
    });
  });
}

export function recordedStates(page: Page): Promise<ReadonlyArray<string>> {
  return page.evaluate(() => (window as unknown as { __states: Array<string> }).__states);
}

/** How long a page may take to show what the test waits for (a condition, not a speed claim). */
export const POLL = { timeout: 10_000, interval: 50 } as const;
