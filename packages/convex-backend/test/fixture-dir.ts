/** Path of the fixture Convex functions (a stand-in for /convex). */
import { fileURLToPath } from "node:url";

export const FIXTURE_CONVEX_DIR = fileURLToPath(new URL("./fixture-convex", import.meta.url));
