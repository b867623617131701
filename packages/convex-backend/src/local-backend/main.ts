/**
 * `pnpm backend:local [--data <file>]`: the local Convex-protocol test
 * backend on 127.0.0.1:3210 (or $PORT) running the workspace's /convex.
 * A test and demo fixture, not a product backend. Data lives in memory;
 * with `--data` it is loaded from that file at start and written back
 * shortly after each change and on exit. With QC_PROJECT_CREATION_KEY set
 * in its environment, projects:create needs that key (docs/convex.md).
 */
import { parseArgs } from "node:util";
import { startLocalBackend } from "./server.js";
import { loadSnapshot, saveSnapshot } from "./snapshot.js";

const SAVE_EVERY_MS = 1_000;

const { values } = parseArgs({ options: { data: { type: "string" } } });
const port = Number(process.env["PORT"] ?? 3210);
const backend = await startLocalBackend({ port });
const { state } = backend;
const dataFile = values.data;

if (dataFile !== undefined) {
  const loaded = await state.queue.run(() => loadSnapshot(state, dataFile));
  console.log(loaded ? `loaded ${dataFile}` : `no ${dataFile} yet: starting empty, saving there`);
  let saved = state.now();
  const saveIfChanged = () =>
    state.queue.run(async () => {
      if (state.now() === saved) return;
      saved = state.now();
      await saveSnapshot(state, dataFile);
    });
  setInterval(() => void saveIfChanged(), SAVE_EVERY_MS).unref();
  process.once("beforeExit", () => void saveIfChanged());
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(
      signal,
      () =>
        void saveIfChanged()
          .then(() => backend.stop())
          .then(() => process.exit(0)),
    );
  }
} else {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => void backend.stop().then(() => process.exit(0)));
  }
}

console.log(`qc local Convex backend (test fixture${dataFile === undefined ? ", in-memory" : ""}) at ${backend.url}`);
console.log(`functions: ${state.convexDir}`);
console.log(`use it with CONVEX_URL=${backend.url}`);
if ((process.env["QC_PROJECT_CREATION_KEY"] ?? "") !== "") console.log("projects:create needs the key in QC_PROJECT_CREATION_KEY");
