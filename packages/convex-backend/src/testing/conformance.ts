/**
 * `@qc/convex-backend/conformance`: the RemoteOpStore conformance suite and
 * its harnesses. A subpath of its own because the suite registers vitest
 * tests at import time: `@qc/convex-backend/testing` stays importable from
 * plain tsx scripts (benchmarks, demos).
 */
export {
  runRemoteConformance,
  type ConformanceCase,
  type ConformanceHarness,
  type ConformanceMember,
  type ConformanceOptions,
} from "./remote-conformance.js";
export { makeConvexTestHarness, makeLocalBackendHarness, makeRealConvexHarness, type RealConvexTarget } from "./conformance-targets.js";
