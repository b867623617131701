/**
 * The module map convex-test needs (`convexTest(schema, modules)`), built from
 * a directory listing instead of `import.meta.glob`, so the local backend runs
 * under plain `tsx`/node as well as under vitest.
 *
 * Invariant: keys are absolute paths; convex-test finds the functions root by
 * the key that contains `_generated`, so one is added if the directory has no
 * codegen output (the functions then import `convex/server` directly).
 */
import { readdirSync, existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export type ModuleMap = Record<string, () => Promise<unknown>>;

/** Every function module under `dir`, keyed by absolute path. */
export function moduleMapForDir(dir: string): ModuleMap {
  const root = resolve(dir);
  const map: ModuleMap = {};
  for (const file of listModules(root)) {
    map[file] = () => import(pathToFileURL(file).href);
  }
  if (!Object.keys(map).some((key) => key.includes("_generated"))) {
    map[join(root, "_generated", "server.js")] = () => Promise.resolve({});
  }
  return map;
}

/** The schema's default export (`schema.ts` in `dir`). */
export async function loadSchema(dir: string): Promise<unknown> {
  const file = ["schema.ts", "schema.js"].map((f) => join(resolve(dir), f)).find((f) => existsSync(f));
  if (file === undefined) throw new Error(`no schema.ts in ${dir}`);
  const mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
  return mod.default;
}

/** `<workspace root>/convex`: the directory holding pnpm-workspace.yaml, walking up from here. */
export function workspaceConvexDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "pnpm-workspace.yaml"))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error("workspace root (pnpm-workspace.yaml) not found");
    dir = parent;
  }
  return join(dir, "convex");
}

function listModules(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "node_modules") out.push(...listModules(path));
    } else if (isFunctionModule(entry.name)) {
      out.push(path);
    }
  }
  return out;
}

/** As the Convex CLI: `.ts`/`.js` files with one dot (skips `x.test.ts`, `test.setup.ts`, `.d.ts`). */
function isFunctionModule(name: string): boolean {
  return /^[^.]+\.(ts|js|mts|mjs)$/.test(name);
}
