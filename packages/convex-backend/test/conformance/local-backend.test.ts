/** Conformance of ConvexRemote (real ConvexClient + ConvexHttpClient) against the local protocol backend. */
import { makeLocalBackendHarness, runRemoteConformance } from "@qc/convex-backend/conformance";

runRemoteConformance("ConvexRemote on the local protocol backend", makeLocalBackendHarness);
