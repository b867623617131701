/**
 * The one temp folder of the tests and benches: real SQLite files go in a
 * fresh folder under the OS temp dir, removed (with everything in it) by
 * `remove`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TempDir {
  /** The folder itself. */
  readonly root: string;
  /** A file name inside the folder. */
  readonly path: (name: string) => string;
  readonly remove: () => void;
}

export function makeTempDir(prefix = "qc-test-"): TempDir {
  const root = mkdtempSync(join(tmpdir(), prefix));
  return { root, path: (name) => join(root, name), remove: () => rmSync(root, { recursive: true, force: true }) };
}
