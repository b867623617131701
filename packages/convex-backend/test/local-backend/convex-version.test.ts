/**
 * The local backend speaks the client protocol of one convex version. If the
 * installed convex differs, this fails loudly: re-read the client's protocol
 * (browser/sync/protocol.ts, client.ts, http_client.ts) before bumping
 * CONVEX_VERSION.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { CONVEX_VERSION } from "../../src/local-backend/convex-version.js";

describe("convex version pin", () => {
  it("the installed convex is the version the local backend was written for", () => {
    const require = createRequire(import.meta.url);
    const manifest = require.resolve("convex/package.json");
    const installed = (JSON.parse(readFileSync(manifest, "utf8")) as { version: string }).version;
    expect(installed, `installed convex ${installed}, but the local backend speaks the protocol of ${CONVEX_VERSION}`).toBe(CONVEX_VERSION);
  });
});
