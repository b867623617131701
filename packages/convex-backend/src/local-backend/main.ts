/**
 * `pnpm backend:local`: the local Convex-protocol test backend on
 * 127.0.0.1:3210 (or $PORT) running the workspace's /convex functions.
 * A test and demo fixture, not a product backend: data lives in memory.
 */
import { startLocalBackend } from "./server.js";

const port = Number(process.env["PORT"] ?? 3210);
const backend = await startLocalBackend({ port });
console.log(`qc local Convex backend (test fixture, in-memory) listening at ${backend.url}`);
console.log(`functions: ${backend.state.convexDir}`);
console.log(`use it with CONVEX_URL=${backend.url}`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void backend.stop().then(() => process.exit(0));
  });
}
