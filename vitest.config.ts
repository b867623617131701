import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["packages/*/src/**/*.test.ts", "packages/*/test/**/*.test.ts", "convex/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: keep SQLite-heavy and child-process suites from starving each other.
    pool: "forks",
    poolOptions: { forks: { maxForks: 2 } },
  },
});
