/**
 * `@qc/convex-backend/testing`: what other packages' tests need from the
 * Convex side: the RemoteOpStore conformance suite and its harnesses, the
 * convex-test remote, test ops, and the local protocol backend.
 */
export {
  runRemoteConformance,
  type ConformanceCase,
  type ConformanceHarness,
  type ConformanceMember,
  type ConformanceOptions,
} from "./remote-conformance.js";
export {
  makeConvexTestHarness,
  makeLocalBackendHarness,
  makeRealConvexHarness,
  type RealConvexTarget,
} from "./conformance-targets.js";
export {
  makeConvexTestRemote,
  makeQcConvexTest,
  type ConvexTestCaller,
  type ConvexTestRemoteOptions,
} from "./convex-test-remote.js";
export { makeTestOp, makeTestOps, type TestOpsSpec } from "./test-ops.js";
export { startLocalBackend, type LocalBackend, type LocalBackendOptions } from "../local-backend/server.js";
