#!/usr/bin/env node
// `qc`: runs the bundled CLI (dist/qc.mjs, built on install and by
// `pnpm --filter @qc/app build`) when it is newer than every source file it
// bundles; otherwise the TypeScript sources through tsx, so an edit is never
// hidden behind a stale bundle.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const bundle = here("../dist/qc.mjs");
const sources = [here("../src"), here("../../core/src"), here("../../convex-backend/src")];

function newest(dir) {
  let max = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    max = Math.max(max, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return max;
}

process.env.QC_CLI_MAIN = "1";
const fresh = existsSync(bundle) && sources.every((dir) => !existsSync(dir) || newest(dir) <= statSync(bundle).mtimeMs);
if (fresh) {
  await import(pathToFileURL(bundle).href);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import(pathToFileURL(here("../src/cli/main.ts")).href);
}
