/** Conformance of ConvexRemote (real ConvexClient + ConvexHttpClient) against the local protocol backend. */
import { makeLocalBackendHarness, runRemoteConformance } from "../../src/testing/index.js";

runRemoteConformance("ConvexRemote on the local protocol backend", makeLocalBackendHarness);
