// Bundles the qc CLI into dist/qc.mjs (esbuild), code-split: each command
// group, imported lazily (src/cli/commands/index.ts), gets its own chunk in
// dist/chunks/, so a command compiles only the code it runs.
// Native and optional modules stay external and load from node_modules.
// Minified (names kept for readable stacks): start-up is mostly V8 compiling
// the bundle, and a smaller bundle compiles about a third faster.
// The web UI (src/web/ui, Preact) is bundled beside it into ui/app.js and
// ui/app.css, where `qc serve` finds it: nothing is fetched at run time.
import { rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { build } from "esbuild";

const src = (path) => new URL(path, import.meta.url).pathname;

export async function buildUi(dir) {
  await build({
    entryPoints: { app: src("./src/web/ui/main.tsx") },
    outdir: dir,
    bundle: true,
    format: "esm",
    target: "es2022",
    platform: "browser",
    jsx: "automatic",
    jsxImportSource: "preact",
    minify: true,
    logLevel: "warning",
  });
  await build({ entryPoints: { app: src("./src/web/ui/styles.css") }, outdir: dir, bundle: true, minify: true, logLevel: "warning" });
}

export async function buildCli(outfile = src("./dist/qc.mjs")) {
  // Old chunks are removed first: their names carry content hashes.
  rmSync(join(dirname(outfile), "chunks"), { recursive: true, force: true });
  await build({
    entryPoints: { [basename(outfile, ".mjs")]: src("./src/cli/main.ts") },
    outdir: dirname(outfile),
    outExtension: { ".js": ".mjs" },
    chunkNames: "chunks/[name]-[hash]",
    splitting: true,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    minify: true,
    keepNames: true,
    external: ["better-sqlite3", "ws", "bufferutil", "utf-8-validate"],
    banner: { js: "import { createRequire as __qcRequire } from 'node:module'; const require = __qcRequire(import.meta.url);" },
    logLevel: "warning",
  });
  await buildUi(join(dirname(outfile), "ui"));
  return outfile;
}

if (import.meta.url === `file://${process.argv[1]}`) await buildCli();
