/**
 * A deployment that sets QC_PROJECT_CREATION_KEY (here the local backend's
 * process environment, as `QC_PROJECT_CREATION_KEY=... pnpm backend:local`)
 * refuses projects:create from the real ConvexHttpClient without the key.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ConvexHttpClient } from "convex/browser";
import { ConvexError } from "convex/values";
import { qcApi } from "../../src/qc-api.js";
import { toRemoteError } from "../../src/remote-errors.js";
import { startLocalBackend, type LocalBackend } from "../../src/local-backend/server.js";

describe("projects:create on a deployment with a creation key", () => {
  let backend: LocalBackend;
  beforeAll(async () => {
    vi.stubEnv("QC_PROJECT_CREATION_KEY", "demo-creation-key");
    backend = await startLocalBackend();
  });
  afterAll(async () => {
    await backend.stop();
    vi.unstubAllEnvs();
  });

  it("is refused without the key with a clear, permanent reason, and allowed with it", async () => {
    const client = new ConvexHttpClient(backend.url, { logger: false });
    const args = { project: "keyed-1", name: "Interviews", actor: "ann" };
    const error = await client.mutation(qcApi.projects.create, args).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConvexError);
    expect((error as ConvexError<{ code: string }>).data.code).toBe("creation-key-refused");
    expect(toRemoteError(error, "projects:create")).toMatchObject({
      reason: "forbidden",
      retryable: false,
      message: expect.stringMatching(/requires a project creation key/),
    });
    const { token } = await client.mutation(qcApi.projects.create, { ...args, key: "demo-creation-key" });
    expect((await client.query(qcApi.ops.head, { token, project: "keyed-1" })).head).toBe(0);
  });
});
