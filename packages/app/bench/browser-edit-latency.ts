/**
 * Edit-to-visible between two browsers: researcher A renames a code in the
 * web UI (the Rename button on A's page); how long until B's page shows the
 * new name? Two `qc serve` child processes on two replica files, synced
 * through the local Convex-protocol backend, one Chromium each. Beside it,
 * in the same run, the engine-only figure (the same rename between two
 * replicas' engines in one process, convex-backend/bench/edit-latency.ts):
 * the difference is what the web server, SSE, the refetch and rendering add.
 *
 * The clock starts when A's page receives the click (a capturing listener
 * on A's document) and stops when B's page has a tree row with the new name
 * (a MutationObserver inside B); both read the same system clock
 * (Date.now() in each page). What Playwright spends before it delivers the
 * click (waiting for the button to be visible, stable and hit) is not the
 * researcher's wait: it is printed beside the figure as the driver's share,
 * and the figure with it included, so nothing is hidden.
 * Unmeasured warm-up renames run first. Target (issue 11): p99 under 150 ms.
 *
 * Standalone: `npx tsx packages/app/bench/browser-edit-latency.ts [edits]`.
 */
import { pathToFileURL } from "node:url";
import { startLocalBackend } from "@qc/convex-backend/testing";
import { benchEditLatency } from "../../convex-backend/bench/edit-latency.js";
import { percentile, printFigure } from "../../core/bench/measure.js";
import { makeQcRunner } from "../test/support/cli.js";
import { openBrowser, serve } from "../test/support/web.js";

const TARGET_P99_MS = 150;

export async function benchBrowserEditLatency(opts: { readonly edits: number }): Promise<void> {
  const [qc, backend] = await Promise.all([makeQcRunner(), startLocalBackend()]);
  const cleanup: Array<() => Promise<void>> = [];
  try {
    for (const args of [
      ["init", "a.qc", "--name", "Bench", "--actor", "Ana"],
      ["settings", "set", "convex-url", backend.url, "-p", "a.qc"],
      ["settings", "set", "cloud-sync", "on", "-p", "a.qc"],
      ["team", "create", "-p", "a.qc"],
      ["code", "add", "Name 0", "--color", "#336699", "-p", "a.qc"],
    ]) {
      const r = await qc.run(args);
      if (r.code !== 0) throw new Error(`qc ${args.join(" ")}: ${r.stderr}`);
    }
    const { invite } = await qc.json<{ invite: string }>(["team", "invite", "Ben", "--role", "editor", "-p", "a.qc"]);
    if ((await qc.run(["join", invite, "b.qc", "--actor", "Ben"])).code !== 0) throw new Error("join failed");
    const servers = [await serve(qc, "a.qc"), await serve(qc, "b.qc")];
    cleanup.push(...servers.map((s) => s.stop));
    const [a, b] = await Promise.all(servers.map((s) => openBrowser(s.launchUrl)));
    cleanup.unshift(a!.close, b!.close);
    await a!.page.locator('button.node[data-name="Name 0"]').click();
    await b!.page.locator('button.node[data-name="Name 0"]').waitFor();
    await a!.page.evaluate(() =>
      document.addEventListener("click", () => ((window as unknown as { clickedAt: number }).clickedAt = Date.now()), true),
    );
    const warmUp = Math.min(20, Math.ceil(opts.edits / 10));
    const samples: Array<number> = [];
    const withDriver: Array<number> = [];
    for (let i = 1; i <= warmUp + opts.edits; i++) {
      const name = `Name ${i}`;
      await a!.page.getByLabel("Name", { exact: true }).fill(name);
      const seen = b!.page.evaluate(
        (wanted) =>
          new Promise<number>((resolve) => {
            // No named inner functions: tsx would wrap them in a helper the page does not have.
            const selector = `button.node[data-name="${CSS.escape(wanted)}"]`;
            if (document.querySelector(selector) !== null) return resolve(Date.now());
            const observer = new MutationObserver(() => {
              if (document.querySelector(selector) === null) return;
              observer.disconnect();
              resolve(Date.now());
            });
            observer.observe(document.body, { subtree: true, childList: true, attributes: true });
          }),
        name,
      );
      const start = Date.now();
      await a!.page.getByRole("button", { name: "Rename" }).click();
      const visibleAt = await seen;
      const clickedAt = await a!.page.evaluate(() => (window as unknown as { clickedAt: number }).clickedAt);
      if (i <= warmUp) continue;
      samples.push(visibleAt - clickedAt);
      withDriver.push(visibleAt - start);
    }
    samples.sort((x, y) => x - y);
    withDriver.sort((x, y) => x - y);
    const engine = await benchEditLatency({ edits: opts.edits });
    const p99 = percentile(samples, 99);
    console.log(
      `browser edit-to-visible, A's click on Rename until B's page shows the name; ${samples.length} edits after ${warmUp} warm-up`,
    );
    printFigure({
      name: "  browser to browser p50",
      value: percentile(samples, 50),
      unit: "ms",
      baseline: { name: "engine only, local Convex backend, p50", value: engine.convex.p50Ms },
    });
    printFigure({
      name: "  browser to browser p99",
      value: p99,
      unit: "ms",
      baseline: { name: "engine only, local Convex backend, p99", value: engine.convex.p99Ms },
      target: { text: `p99 < ${TARGET_P99_MS} ms`, met: p99 < TARGET_P99_MS },
    });
    console.log(
      `  with the driver's share (Playwright's checks before it delivers the click): p50 ${percentile(withDriver, 50).toFixed(0)} ms, p99 ${percentile(withDriver, 99).toFixed(0)} ms`,
    );
  } finally {
    for (const close of cleanup) await close();
    await backend.stop();
    qc.cleanup();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const edits = Number(process.argv[2]);
  await benchBrowserEditLatency({ edits: Number.isInteger(edits) && edits > 0 ? edits : 200 });
}
