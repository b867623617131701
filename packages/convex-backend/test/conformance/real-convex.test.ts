/**
 * Conformance of ConvexRemote against a real Convex deployment (opt-in).
 *
 * Run with a deployment of /convex and a project you own:
 *   CONVEX_URL=https://<name>.convex.cloud QC_TEST_PROJECT=<project> QC_TEST_TOKEN=<owner token> \
 *     [QC_TEST_ACTOR=<owner actor>] pnpm vitest run packages/convex-backend/test/conformance/real-convex.test.ts
 * (`docker compose up` gives a self-hosted one at http://127.0.0.1:3210.) The suite pushes ops into that
 * project's stream every run.
 */
import { describe, it } from "vitest";
import { makeRealConvexHarness, runRemoteConformance } from "../../src/testing/index.js";

const url = process.env["CONVEX_URL"];
const project = process.env["QC_TEST_PROJECT"];
const token = process.env["QC_TEST_TOKEN"];
const actor = process.env["QC_TEST_ACTOR"];

if (url !== undefined && project !== undefined && token !== undefined) {
  runRemoteConformance(`ConvexRemote on ${url}`, () =>
    makeRealConvexHarness({ url, project, token, ...(actor !== undefined ? { actor } : {}) }),
  );
} else {
  describe.skip("RemoteOpStore conformance: real Convex (set CONVEX_URL, QC_TEST_PROJECT, QC_TEST_TOKEN to run)", () => {
    it("needs a deployment of /convex and an owner token of one project", () => undefined);
  });
}
