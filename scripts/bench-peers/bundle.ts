/**
 * Each `pnpm bench:peers` child runs as an esbuild bundle under plain node,
 * the same for all three systems, so the TypeScript loader (tsx, ~74 MB of
 * peak RSS in the child, issue 12) and its per-module transform time are
 * charged to no system. The bundles go to packages/core/node_modules/.cache:
 * there `better-sqlite3` (which qc's WAL worker resolves from its own module
 * URL at run time) and, one level up, the root's `loro-crdt` and
 * `@vlcn.io/crsqlite-wasm` resolve as they do from the sources. Those three
 * (native or WASM, loading files beside themselves) stay external; the rest is
 * bundled, as the qc CLI is (packages/app/build.mjs).
 */
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

// esbuild is the app's build tool (packages/app/build.mjs); the root has no copy.
type Build = (options: Readonly<Record<string, unknown>>) => Promise<unknown>;
const { build } = createRequire(new URL("../../packages/app/package.json", import.meta.url))("esbuild") as { readonly build: Build };
const OUT_DIR = fileURLToPath(new URL("../../packages/core/node_modules/.cache/bench-peers/", import.meta.url));

/** Bundles `scripts/bench-peers/<system>.ts`; returns the bundle's path. */
export async function bundleChild(system: string): Promise<string> {
  const outfile = `${OUT_DIR}${system}.mjs`;
  await build({
    entryPoints: [fileURLToPath(new URL(`./${system}.ts`, import.meta.url))],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    external: ["better-sqlite3", "loro-crdt", "@vlcn.io/crsqlite-wasm"],
    logLevel: "warning",
  });
  return outfile;
}

/** Runs a bundle with `args`; its last stdout line is the JSON result. */
export function runBundle<T>(bundle: string, args: ReadonlyArray<string>): T {
  const out = execFileSync(process.execPath, [bundle, ...args], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    stdio: ["ignore", "pipe", "inherit"],
  });
  return JSON.parse(out.trim().split("\n").pop() ?? "") as T;
}
