/**
 * The stream check: a replica never mixes two op streams (docs/design.md §6).
 *
 * Pure: compares the remote's identity with the replica's project and stored
 * cursor, and says which identity ingested pages carry. The message tells the
 * researcher which project / stream was expected and how to fix it.
 */
import { syncError, type SyncError } from "./errors.js";
import type { RemoteIdentity } from "./remote-op-store.js";
import type { SyncCursor } from "./syncable-replica.js";

export interface StreamCheckInput {
  /** The replica's project. */
  readonly project: string;
  /** The project sync was configured for, if the caller named one. */
  readonly configuredProject: string | undefined;
  readonly remote: RemoteIdentity;
  readonly cursor: SyncCursor | undefined;
}

/** The identity to stamp ingested pages with, or a "wrong-stream" error. */
export function checkStream(input: StreamCheckInput): RemoteIdentity | SyncError {
  const { project, configuredProject, remote, cursor } = input;
  if (configuredProject !== undefined && configuredProject !== project) {
    return wrongStream(
      `sync is configured for project ${configuredProject}, but this replica holds project ${project}; ` +
        `open the replica of project ${configuredProject}, or configure sync for project ${project}`,
    );
  }
  if (remote.project !== project) {
    return wrongStream(
      `the server at ${remote.deployment} serves project ${remote.project}, but this replica holds project ${project}; ` +
        `configure the server URL of project ${project}`,
    );
  }
  if (cursor !== undefined && cursor.identity.stream !== remote.stream) {
    return wrongStream(
      `this replica follows stream ${cursor.identity.stream} of project ${project} (at ${cursor.identity.deployment}), ` +
        `but the server at ${remote.deployment} holds stream ${remote.stream} (another deployment, or the project was re-created); ` +
        `point sync back at ${cursor.identity.deployment}, or switch this replica to the new stream with switchStream() ` +
        `(its whole log is pushed there; nothing is duplicated)`,
    );
  }
  // Keep the stored identity: the deployment URL may be spelled differently.
  return cursor?.identity ?? remote;
}

function wrongStream(message: string): SyncError {
  return syncError("wrong-stream", message);
}
