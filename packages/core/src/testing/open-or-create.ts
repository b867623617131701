/**
 * Test support: a researcher's replica file that a test starts fresh and
 * later reopens ("quit and start qc again", a child restarted after a kill)
 * with the same options. Product code never does this: it creates only on
 * an explicit choice (createReplica).
 */
import { classifyFile } from "../op-log/file-kind.js";
import { createReplica, openReplica, type CreateReplicaOptions, type Replica } from "../replica.js";

export function openOrCreateReplica(path: string, options: CreateReplicaOptions): Replica {
  return classifyFile(path).kind === "replica" ? openReplica(path, options) : createReplica(path, options);
}
