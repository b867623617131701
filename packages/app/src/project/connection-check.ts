/**
 * "Test connection" and "use an invite" for a project file that is already
 * open (Settings > Database in the web UI; any front door may use them).
 *
 * - `testConnection` checks the URL as the CLI does, then makes one call to
 *   the deployment: with this file's token it lists the members (the token
 *   is checked too); without one, a refused dummy token still proves the
 *   deployment answers. Nothing is stored.
 * - `useInvite` stores an invite's URL and token in this file and turns
 *   cloud sync on, if the invite is for this file's project and researcher.
 */
import { RemoteError } from "@qc/core";
import { appError } from "./errors.js";
import { decodeInvite } from "./invite.js";
import type { Project } from "./project.js";
import { writeSettings } from "./settings.js";
import { takeSyncRole } from "./sync-control.js";
import { listMembers } from "./team.js";
import { checkConvexUrl } from "./url.js";

export interface ConnectionCheck {
  readonly url: string;
  /** In the researcher's words. */
  readonly message: string;
  readonly members: number | null;
}

export async function testConnection(project: Project, rawUrl: string): Promise<ConnectionCheck> {
  const url = checkConvexUrl(rawUrl);
  try {
    return await callDeployment(project, url);
  } catch (error) {
    if (error instanceof RemoteError && error.reason === "unreachable") {
      throw new RemoteError({
        reason: "unreachable",
        message: `could not reach ${url}: check the address and that the deployment is running (${error.message})`,
        retryable: true,
        cause: error,
      });
    }
    throw error;
  }
}

async function callDeployment(project: Project, url: string): Promise<ConnectionCheck> {
  const token = project.settings().token;
  if (token !== undefined) {
    const members = await listMembers({ url, project: project.replica.project, token });
    return {
      url,
      members: members.length,
      message: `Connected: the sync server accepts this computer (${members.length} team member${members.length === 1 ? "" : "s"}).`,
    };
  }
  try {
    await listMembers({ url, project: project.replica.project, token: "0".repeat(64) });
  } catch (error) {
    if (!(error instanceof RemoteError && (error.reason === "token-refused" || error.reason === "forbidden"))) throw error;
  }
  return {
    url,
    members: null,
    message: "Connected: the sync server answers. This project is not on it yet: create the team or paste your invite.",
  };
}

export async function useInvite(project: Project, text: string): Promise<void> {
  const invite = decodeInvite(text);
  const url = checkConvexUrl(invite.url);
  if (invite.project !== project.replica.project) {
    throw appError(
      "invite-mismatch",
      "this invite is for another project; ask the owner for an invite to this one, or join it as a new file with `qc join`",
    );
  }
  if (invite.actor !== project.settings().actor) {
    throw appError(
      "invite-mismatch",
      `this invite is for ${JSON.stringify(invite.actor)}, and this file is ${JSON.stringify(project.settings().actor)}'s; use the invite made for you`,
    );
  }
  writeSettings(project.replica, { convexUrl: url, token: invite.token });
  await project.setCloudSync(true);
  takeSyncRole(project);
}
