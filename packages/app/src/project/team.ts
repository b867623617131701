/**
 * Team calls over the deployment's `projects:create` and `members:*`
 * (one HTTP request each). `create` publishes the project id and makes this
 * researcher its owner; the owner's token is returned to be stored in the
 * project file, a member's token only inside an invite. Failures become
 * RemoteErrors (token refused, forbidden, unreachable) or, for a refused
 * argument (a name already invited, an unknown member), an AppError.
 * The Convex client is imported when a call is made, not when the project
 * service loads: most commands make none (the CLI's start-up budget).
 */
import type { ConvexHttpClient } from "convex/browser";
import type { qcApi, Role } from "@qc/convex-backend";
import { PROTOCOL_VERSION, RemoteError } from "@qc/core";
import { appError } from "./errors.js";

export type MemberRole = Exclude<Role, "owner">;

export interface Member {
  readonly actor: string;
  readonly role: Role;
  readonly revoked: boolean;
}

export interface TeamAccess {
  readonly url: string;
  readonly project: string;
  readonly token: string;
}

/** `key`: the deployment's project-creation key, when it has one (QC_PROJECT_CREATION_KEY there). */
export async function createTeam(url: string, project: string, name: string, actor: string, key?: string): Promise<{ token: string }> {
  const args = { protocol: PROTOCOL_VERSION, project, name, actor, ...(key === undefined ? {} : { key }) };
  const { token } = await call("projects:create", url, (c, qcApi) => c.mutation(qcApi.projects.create, args));
  return { token };
}

export async function inviteMember(access: TeamAccess, actor: string, role: MemberRole): Promise<{ token: string }> {
  const { url, project, token } = access;
  return call("members:invite", url, (c, qcApi) =>
    c.mutation(qcApi.members.invite, { protocol: PROTOCOL_VERSION, token, project, actor, role }),
  );
}

export async function listMembers(access: TeamAccess): Promise<ReadonlyArray<Member>> {
  const { url, project, token } = access;
  return call("members:list", url, (c, qcApi) => c.query(qcApi.members.list, { protocol: PROTOCOL_VERSION, token, project }));
}

export async function revokeMember(access: TeamAccess, actor: string): Promise<void> {
  const { url, project, token } = access;
  await call("members:revoke", url, (c, qcApi) => c.mutation(qcApi.members.revoke, { protocol: PROTOCOL_VERSION, token, project, actor }));
}

async function call<T>(name: string, url: string, run: (client: ConvexHttpClient, api: typeof qcApi) => Promise<T>): Promise<T> {
  const [{ ConvexHttpClient }, { qcApi: api, toRemoteError }] = await Promise.all([import("convex/browser"), import("@qc/convex-backend")]);
  try {
    return await run(new ConvexHttpClient(url, { logger: false }), api);
  } catch (error) {
    const remote = error instanceof RemoteError ? error : toRemoteError(error, name);
    // The functions refuse bad arguments with invalid-argument / not-found, which the
    // op remote files under invalid-op; for team calls they are the researcher's input.
    if (remote.reason === "invalid-op") throw appError("invalid-argument", remote.message.replace(`${name}: `, ""), remote);
    throw remote;
  }
}
