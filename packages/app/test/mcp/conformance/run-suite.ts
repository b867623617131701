/**
 * Runs @modelcontextprotocol/conformance (the devDependency: nothing is
 * fetched) in server mode against qc's /mcp on a small Hono server over a
 * real project file. The CLI cannot send headers, so the launch token rides
 * in `?token=`. On Node 20 the suite needs the fs shim (node20-fs-*.mjs).
 * Exits with the suite's code: 0 when every scenario passes or is an
 * expected failure listed in expected-failures.yml.
 * Usage: tsx run-suite.ts [extra conformance CLI args, e.g. --scenario ping]
 */
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { startMcpHttp } from "../../support/mcp-http-server.js";
import { makeProjectFile, tempDir } from "../../support/mcp-session.js";

export async function runConformance(
  extraArgs: ReadonlyArray<string> = [],
  output: "inherit" | "pipe" = "inherit",
): Promise<{ code: number; output: string }> {
  const dir = tempDir("qc-conformance-");
  const server = await startMcpHttp(await makeProjectFile(dir.path));
  try {
    const require = createRequire(import.meta.url);
    const cli = require.resolve("@modelcontextprotocol/conformance/package.json").replace(/package\.json$/, "dist/index.js");
    const shim = fileURLToPath(new URL("./node20-fs-register.mjs", import.meta.url));
    const baseline = fileURLToPath(new URL("./expected-failures.yml", import.meta.url));
    const args = [
      "--import",
      shim,
      cli,
      "server",
      "--url",
      `${server.url}?token=${server.token}`,
      "--expected-failures",
      baseline,
      ...extraArgs,
    ];
    const child = spawn(process.execPath, args, { stdio: ["ignore", output, output] });
    let text = "";
    child.stdout?.on("data", (d: Buffer) => (text += d.toString()));
    child.stderr?.on("data", (d: Buffer) => (text += d.toString()));
    const code = await new Promise<number>((resolve) => child.on("exit", (c) => resolve(c ?? 1)));
    return { code, output: text };
  } finally {
    await server.close();
    dir.remove();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { code } = await runConformance(process.argv.slice(2));
  process.exit(code);
}
