/**
 * `@qc/core/op` runs inside Convex functions: its modules may import only
 * each other, `effect` and `@noble/hashes`, and may not use Node globals.
 */
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const here = dirname(fileURLToPath(import.meta.url));
const ALLOWED_PACKAGES = [/^effect$/, /^@noble\/hashes\/[a-z0-9-]+\.js$/];

/** Every module reachable from op/index.ts through relative imports. */
function collectModules(entry: string): Map<string, string> {
  const seen = new Map<string, string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    const source = readFileSync(file, "utf8");
    seen.set(file, source);
    for (const spec of readImports(source)) {
      if (spec.startsWith(".")) visit(resolve(dirname(file), spec.replace(/\.js$/, ".ts")));
    }
  };
  visit(entry);
  return seen;
}

function readImports(source: string): Array<string> {
  return [...source.matchAll(/(?:^|\n)\s*(?:import|export)\b[^;]*?\bfrom\s+"([^"]+)"/g)].map((m) => m[1] ?? "");
}

describe("the op layer is pure", () => {
  const modules = collectModules(join(here, "index.ts"));

  it("reaches hlc.ts and every non-test module of op/ except the test builder", () => {
    const names = [...modules.keys()].map((f) => f.slice(resolve(here, "..").length + 1)).sort();
    const opFiles = readdirSync(here)
      .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && f !== "op-builder.ts")
      .map((f) => `op/${f}`);
    expect(names).toEqual([...opFiles, "hlc.ts"].sort());
  });

  it("imports only effect and @noble/hashes besides its own modules", () => {
    for (const [file, source] of modules) {
      for (const spec of readImports(source)) {
        if (spec.startsWith(".")) continue;
        expect(ALLOWED_PACKAGES.some((p) => p.test(spec)), `${file} imports ${spec}`).toBe(true);
      }
    }
  });

  it("uses no Node globals", () => {
    for (const [file, source] of modules) {
      expect(source, file).not.toMatch(/\b(Buffer|process|require|__dirname)\b[.(]/);
    }
  });
});
