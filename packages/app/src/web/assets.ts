/**
 * The bundled UI (built by build.mjs into `ui/` next to the CLI bundle, so
 * nothing is fetched from a CDN or the network at run time): one HTML page
 * that loads app.js and app.css. Read once at start; a missing bundle is
 * an error saying how to build it.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Hono } from "hono";
import { appError } from "../project/index.js";

/**
 * Where build.mjs puts the UI: beside the CLI bundle (dist/qc.mjs -> dist/ui).
 * This module runs from a chunk of that bundle (dist/chunks/*.mjs), so the UI
 * is one level up; from source (src/web/assets.ts) it is dist/ui.
 */
export function uiDir(): string {
  const candidates = ["../ui/", "./ui/", "../../dist/ui/"].map((path) => fileURLToPath(new URL(path, import.meta.url)));
  return candidates.find((dir) => existsSync(join(dir, "app.js"))) ?? candidates[candidates.length - 1]!;
}

export function assetRoutes(app: Hono, dir: string = uiDir()): void {
  const js = join(dir, "app.js");
  const css = join(dir, "app.css");
  if (!existsSync(js) || !existsSync(css))
    throw appError("invalid-argument", `the web UI is not built (${dir} has no app.js); run \`pnpm --filter @qc/app build\``);
  const files = { js: readFileSync(js, "utf8"), css: readFileSync(css, "utf8") };
  const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>qc</title><link rel="stylesheet" href="/app.css"></head>
<body><div id="app"></div><script type="module" src="/app.js"></script></body></html>`;
  const headers = { "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" };
  app.get("/app.js", (c) => c.body(files.js, 200, { ...headers, "Content-Type": "text/javascript; charset=utf-8" }));
  app.get("/app.css", (c) => c.body(files.css, 200, { ...headers, "Content-Type": "text/css; charset=utf-8" }));
  app.get("*", (c) =>
    c.html(page, 200, {
      ...headers,
      "Content-Security-Policy": "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:",
    }),
  );
}
