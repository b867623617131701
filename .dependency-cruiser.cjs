/**
 * Dependency rules (`pnpm deps:check`): the layering of docs/architecture.md,
 * checked on every import, type-only imports included.
 *
 * core <- convex-backend <- app; packages reach each other only through their
 * package.json exports; `@qc/core/op` (op/ and hlc.ts) runs inside Convex
 * functions, so it imports only effect and @noble/hashes; convex/ imports only
 * that pure part (its suites also `@qc/core/testing/pure`); product code never
 * imports test support.
 */
const TEST_FILE = "(\\.test\\.ts$|^packages/[^/]+/test/)";
const TEST_SUPPORT = `(^packages/[^/]+/src/testing/|${TEST_FILE})`;
const PURE_OP = "^packages/core/src/(op/|hlc\\.ts$)";
// The pure test support (`@qc/core/testing/pure`): convex/ suites run it under edge-runtime.
const PURE_TESTING = "^packages/core/src/testing/pure/";

module.exports = {
  forbidden: [
    {
      name: "no-cycles",
      comment: "Modules form a DAG: a cycle hides which one is the lower layer.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "no-unresolvable",
      comment: "Every import resolves: a package imports only what its package.json declares.",
      severity: "error",
      from: {},
      // crash.test.ts loads tsx's own esbuild through tsx's resolver, on purpose.
      to: { couldNotResolve: true, pathNot: "^esbuild$" },
    },
    {
      name: "op-is-pure",
      comment: "op/ and hlc.ts run inside Convex functions: only each other, effect and @noble/hashes.",
      severity: "error",
      from: { path: PURE_OP, pathNot: TEST_FILE },
      to: { pathNot: [PURE_OP, "node_modules/(effect|@noble/hashes)/"] },
    },
    {
      name: "pure-testing-is-pure",
      comment: "@qc/core/testing/pure runs under edge-runtime in the convex/ suites: only itself and @qc/core/op.",
      severity: "error",
      from: { path: PURE_TESTING, pathNot: TEST_FILE },
      to: { pathNot: [PURE_TESTING, PURE_OP, "node_modules/(effect|@noble/hashes)/"] },
    },
    {
      name: "product-code-imports-no-test-support",
      comment: "Test support lives under testing/ and test/; shipped code must not need it.",
      severity: "error",
      from: { path: "^(packages/[^/]+/src/|convex/)", pathNot: [TEST_SUPPORT, "^convex/.*\\.test\\.ts$", "^convex/test\\.setup\\.ts$"] },
      to: { path: TEST_SUPPORT },
    },
    {
      name: "packages-meet-through-exports",
      comment:
        "Another package is imported by its name (package.json exports), never by a relative path into its folder. Benchmarks are exempt: they run other packages' baselines in the same process.",
      severity: "error",
      from: { path: "^(packages/[^/]+|convex)/", pathNot: "^packages/[^/]+/bench/" },
      to: { path: "^(packages/[^/]+|convex)/", pathNot: ["^$1/"], dependencyTypes: ["local"] },
    },
    {
      name: "core-is-the-bottom-layer",
      comment: "core <- convex-backend <- app: core knows no transport and no app.",
      severity: "error",
      from: { path: "^packages/core/" },
      to: { path: "^(packages/(convex-backend|app)|convex)/" },
    },
    {
      name: "convex-backend-below-app",
      comment: "core <- convex-backend <- app: the transport knows nothing of the app.",
      severity: "error",
      from: { path: "^packages/convex-backend/" },
      to: { path: "^packages/app/" },
    },
    {
      name: "convex-imports-only-pure-op",
      comment: "Convex functions bundle what they import: from qc only the pure @qc/core/op (tests also the pure testing part).",
      severity: "error",
      from: { path: "^convex/" },
      to: { path: "^packages/", pathNot: [PURE_OP, PURE_TESTING] },
    },
  ],
  options: {
    doNotFollow: { path: ["node_modules", "^convex/_generated/"] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "types", "default"],
      extensions: [".ts", ".tsx", ".d.ts", ".js"],
    },
    combinedDependencies: false,
    preserveSymlinks: false,
  },
};
