/**
 * `qc join`: a new replica file joined to a team's project through an
 * invite, caught up before it returns. The file gets the invite's URL and
 * token and cloud sync on; then the engine runs until the outbox is empty
 * and everything up to the server head is pulled. If that fails (a revoked
 * or wrong token, an unreachable server) the new file is removed again, so
 * a failed join leaves nothing behind (an existing empty file is left empty).
 */
import { existsSync } from "node:fs";
import type { RetryOptions, SyncStatus } from "@qc/core";
import { appError } from "./errors.js";
import { decodeInvite } from "./invite.js";
import { makeProject, type Project } from "./project.js";
import { createProjectFile, removeProjectFile } from "./project-file.js";
import { writeSettings, type Environment } from "./settings.js";
import { checkConvexUrl } from "./url.js";

export interface JoinOptions {
  readonly actor: string;
  readonly env?: Environment;
  readonly onStatus?: (status: SyncStatus) => void;
  readonly retry?: Partial<RetryOptions>;
}

export async function joinProject(inviteText: string, path: string, options: JoinOptions): Promise<Project> {
  const invite = decodeInvite(inviteText);
  const url = checkConvexUrl(invite.url);
  if (options.actor.trim() !== invite.actor) {
    throw appError(
      "invite-mismatch",
      `this invite is for ${JSON.stringify(invite.actor)}; join with --actor ${JSON.stringify(invite.actor)} (the server checks every edit's author)`,
    );
  }
  const existed = existsSync(path); // an empty file the researcher chose: emptied again on failure, not removed
  const replica = createProjectFile(path, { actor: invite.actor, project: invite.project });
  const project = makeProject(path, replica, options.env ?? process.env);
  try {
    writeSettings(replica, { convexUrl: url, token: invite.token, cloudSyncEnabled: true });
    const sync = project.startSync(options.retry === undefined ? {} : { retry: options.retry });
    const unsubscribe = options.onStatus === undefined ? () => undefined : sync.subscribe(options.onStatus);
    try {
      await sync.syncNow();
    } finally {
      unsubscribe();
    }
    return project;
  } catch (error) {
    await project.close();
    removeProjectFile(path, existed);
    throw error;
  }
}
