/** Conformance of the convex-test direct remote (no network). */
import { makeConvexTestHarness, runRemoteConformance } from "@qc/convex-backend/conformance";

runRemoteConformance("convex-test direct", makeConvexTestHarness);
