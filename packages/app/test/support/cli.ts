/**
 * Test support: the `qc` CLI as a real child process. The CLI is bundled
 * once per test file (esbuild, well under a second) into packages/app/.tmp,
 * where its external modules (better-sqlite3, ws) resolve; each run gets an
 * isolated HOME / XDG_CONFIG_HOME and no QC_PROJECT unless given.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const APP_DIR = fileURLToPath(new URL("../..", import.meta.url));

export interface QcResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface QcRunner {
  readonly dir: string;
  /** The bundled CLI (run it with `node`). */
  readonly bundle: string;
  /** The isolated environment every run gets. */
  readonly env: () => Record<string, string>;
  readonly run: (args: ReadonlyArray<string>, env?: Record<string, string>) => Promise<QcResult>;
  readonly spawn: (args: ReadonlyArray<string>, env?: Record<string, string>) => ChildProcess;
  readonly json: <T = Record<string, unknown>>(args: ReadonlyArray<string>, env?: Record<string, string>) => Promise<T>;
  readonly cleanup: () => void;
}

export async function makeQcRunner(): Promise<QcRunner> {
  const buildDir = join(APP_DIR, ".tmp");
  mkdirSync(buildDir, { recursive: true });
  const bundleDir = mkdtempSync(join(buildDir, "cli-"));
  const { buildCli } = (await import(join(APP_DIR, "build.mjs"))) as { buildCli: (outfile: string) => Promise<string> };
  const bundle = await buildCli(join(bundleDir, "qc.mjs"));
  const dir = mkdtempSync(join(tmpdir(), "qc-cli-"));
  const baseEnv = (): Record<string, string> => {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith("QC_") && k !== "NO_COLOR") env[k] = v;
    return { ...env, HOME: dir, XDG_CONFIG_HOME: join(dir, ".config"), QC_CLI_MAIN: "1" };
  };
  const spawnQc = (args: ReadonlyArray<string>, env: Record<string, string> = {}): ChildProcess =>
    spawn(process.execPath, [bundle, ...args], { cwd: dir, env: { ...baseEnv(), ...env }, stdio: ["ignore", "pipe", "pipe"] });
  const run = (args: ReadonlyArray<string>, env?: Record<string, string>): Promise<QcResult> =>
    new Promise((resolve, reject) => {
      const child = spawnQc(args, env);
      let stdout = "";
      let stderr = "";
      child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
      child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
  return {
    dir,
    bundle,
    env: baseEnv,
    run,
    spawn: spawnQc,
    json: async <T>(args: ReadonlyArray<string>, env?: Record<string, string>) => {
      const result = await run([...args, "--json"], env);
      if (result.code !== 0) throw new Error(`qc ${args.join(" ")} exited ${result.code}: ${result.stderr}`);
      return JSON.parse(result.stdout) as T;
    },
    cleanup: () => {
      rmSync(dir, { recursive: true, force: true });
      rmSync(bundleDir, { recursive: true, force: true });
    },
  };
}
