/**
 * `@qc/convex-backend/testing`: what other packages' tests need from the
 * Convex side: the convex-test remote, test ops, and the local protocol
 * backend. Importable outside vitest; the conformance suite, which is not,
 * is `@qc/convex-backend/conformance`.
 */
export { makeConvexTestRemote, makeQcConvexTest, type ConvexTestCaller, type ConvexTestRemoteOptions } from "./convex-test-remote.js";
export { startLocalBackend, type LocalBackend, type LocalBackendOptions } from "../local-backend/server.js";
