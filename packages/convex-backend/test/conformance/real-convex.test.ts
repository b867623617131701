/**
 * Conformance of ConvexRemote against a real Convex deployment of /convex (opt-in).
 *
 *   CONVEX_URL=https://<name>.convex.cloud pnpm vitest run packages/convex-backend/test/conformance/real-convex.test.ts
 *
 * creates a fresh project per case (projects:create). To use one existing project
 * instead, also set QC_TEST_PROJECT and QC_TEST_TOKEN (an owner's token; QC_TEST_ACTOR
 * if the project has several owners): every run then appends ops to its stream.
 * `docker compose up` gives a self-hosted deployment; `pnpm backend:local` works too.
 */
import { describe, it } from "vitest";
import { makeRealConvexHarness, runRemoteConformance } from "@qc/convex-backend/conformance";

const url = process.env["CONVEX_URL"];
const project = process.env["QC_TEST_PROJECT"];
const token = process.env["QC_TEST_TOKEN"];
const actor = process.env["QC_TEST_ACTOR"];

if (url !== undefined && url !== "") {
  const shared = project !== undefined && token !== undefined ? { project, token, ...(actor !== undefined ? { actor } : {}) } : undefined;
  runRemoteConformance(`ConvexRemote on ${url}${shared ? ` (project ${shared.project})` : ""}`, () =>
    makeRealConvexHarness({ url, ...(shared !== undefined ? { shared } : {}) }),
  );
} else {
  describe.skip("RemoteOpStore conformance: real Convex (set CONVEX_URL to run; see this file's header)", () => {
    it("needs a deployment of /convex at CONVEX_URL", () => undefined);
  });
}
