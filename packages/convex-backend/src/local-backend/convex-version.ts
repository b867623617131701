/**
 * The convex npm version whose client protocol the local backend speaks.
 * `convex-version.test.ts` fails if the installed version differs: re-check
 * the protocol (browser/sync/protocol.ts, http_client.ts) before bumping.
 */
export const CONVEX_VERSION = "1.48.0";
