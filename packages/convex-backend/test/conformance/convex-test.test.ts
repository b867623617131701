/** Conformance of the convex-test direct remote (no network). */
import { makeConvexTestHarness, runRemoteConformance } from "../../src/testing/index.js";

runRemoteConformance("convex-test direct", makeConvexTestHarness);
