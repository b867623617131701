/**
 * `@qc/core/op` runs inside Convex functions: its modules (op/ and hlc.ts)
 * may not use Node globals. What they may import (each other, `effect` and
 * `@noble/hashes`) is the `op-is-pure` rule of `pnpm deps:check`.
 */
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const here = dirname(fileURLToPath(import.meta.url));

/** Every non-test module of op/, and hlc.ts. */
function pureModules(): Array<string> {
  const opFiles = readdirSync(here)
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
    .map((f) => join(here, f));
  return [...opFiles, join(here, "..", "hlc.ts")];
}

describe("the op layer is pure", () => {
  it("uses no Node globals", () => {
    const modules = pureModules();
    expect(modules.length).toBeGreaterThan(5);
    for (const file of modules) {
      expect(readFileSync(file, "utf8"), file).not.toMatch(/\b(Buffer|process|require|__dirname)\b[.(]/);
    }
  });
});
