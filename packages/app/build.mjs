// Bundles the qc CLI into dist/qc.mjs (esbuild): one file that starts fast.
// Native and optional modules stay external and load from node_modules.
import { build } from "esbuild";

export async function buildCli(outfile = new URL("./dist/qc.mjs", import.meta.url).pathname) {
  await build({
    entryPoints: [new URL("./src/cli/main.ts", import.meta.url).pathname],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    external: ["better-sqlite3", "ws", "bufferutil", "utf-8-validate"],
    banner: { js: "import { createRequire as __qcRequire } from 'node:module'; const require = __qcRequire(import.meta.url);" },
    logLevel: "warning",
  });
  return outfile;
}

if (import.meta.url === `file://${process.argv[1]}`) await buildCli();
