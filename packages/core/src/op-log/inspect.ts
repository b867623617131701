/**
 * `inspectReplicaFile`: what a qc file holds, without changing it — the
 * project and replica and its local settings — or a clear "not-a-replica"
 * error for a missing file, an empty one, a file that is not SQLite, or a
 * SQLite file that qc did not create. Read-only (file-kind.ts): nothing is
 * written, no migration runs, so pointing qc at the wrong file never alters it.
 */
import { classifyFile, notReplica, type ReplicaFileInfo } from "./file-kind.js";

export type { ReplicaFileInfo } from "./file-kind.js";

export function inspectReplicaFile(path: string): ReplicaFileInfo {
  const file = classifyFile(path);
  if (file.kind === "replica") return file.info;
  throw notReplica(path, file.why);
}
