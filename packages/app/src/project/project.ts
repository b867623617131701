/**
 * The project service: the one room behind every front door (CLI now, MCP
 * and web later). It opens or creates a project file, reads and changes its
 * settings (applied at once to a running engine), makes team calls, runs
 * sync under the single-syncer lease, and reports status. Adapters parse,
 * call this, and render; research work goes through `project.replica`'s
 * `commands` and `read`.
 */
import type { Replica, RetryOptions } from "@qc/core";
import { appError } from "./errors.js";
import { encodeInvite } from "./invite.js";
import { createProjectFile, openProjectFile } from "./project-file.js";
import { startProjectSync, type ProjectSync } from "./project-sync.js";
import {
  effectiveUrl,
  readSettings,
  viewSettings,
  writeSettings,
  type Environment,
  type ProjectSettings,
  type SettingsView,
} from "./settings.js";
import { otherHolder, readPublishedStatus } from "./sync-lease.js";
import { viewStatus, type StatusView } from "./status.js";
import { createTeam, inviteMember, listMembers, revokeMember, type Member, type MemberRole, type TeamAccess } from "./team.js";
import { checkConvexUrl } from "./url.js";

export interface ProjectInfo {
  readonly file: string;
  readonly project: string;
  readonly name: string;
  readonly replica: string;
  readonly actor: string;
  readonly lastHlc: string | null;
  readonly toPush: number;
  readonly codes: number;
  readonly sources: number;
  readonly segments: number;
  readonly openConflicts: number;
}

export interface Project {
  readonly path: string;
  readonly replica: Replica;
  readonly env: Environment;
  readonly info: () => ProjectInfo;
  readonly settings: () => ProjectSettings;
  readonly settingsView: () => SettingsView;
  readonly setCloudSync: (on: boolean) => Promise<void>;
  readonly setConvexUrl: (url: string) => Promise<void>;
  readonly team: {
    /** `creationKey`: the deployment's project-creation key, if it requires one (never stored). */
    readonly create: (options?: { readonly creationKey?: string }) => Promise<{ readonly token: string }>;
    readonly invite: (actor: string, role: MemberRole) => Promise<{ readonly token: string; readonly invite: string }>;
    readonly list: () => Promise<ReadonlyArray<Member>>;
    readonly revoke: (actor: string) => Promise<void>;
  };
  /** Runs the engine in this process (takes the lease; AppError "sync-busy" if another process holds it). */
  readonly startSync: (options?: { readonly retry?: Partial<RetryOptions> }) => ProjectSync;
  /** The engine of this process, once started. */
  readonly sync: () => ProjectSync | undefined;
  /** The status: from this process's engine, or as published by the process that syncs. */
  readonly status: () => StatusView | undefined;
  readonly close: () => Promise<void>;
}

export interface OpenOptions {
  /** Who the edits are by, given the file's researcher (default: the researcher). */
  readonly actAs?: (researcher: string) => string;
}

export function openProject(path: string, env: Environment = process.env, options: OpenOptions = {}): Project {
  return makeProject(path, openProjectFile(path, options.actAs), env);
}

export function createProject(
  path: string,
  options: { readonly name: string; readonly actor: string },
  env: Environment = process.env,
): Project {
  return makeProject(path, createProjectFile(path, options), env);
}

export function makeProject(path: string, replica: Replica, env: Environment): Project {
  let running: ProjectSync | undefined;
  const settings = () => readSettings(replica);
  const apply = async () => {
    await running?.applySettings();
  };
  // Sends the file's ops now, unless another process syncs it (that one picks the token up itself).
  const pushOnce = async () => {
    if (otherHolder(replica) !== undefined) return;
    const sync = startProjectSync(replica, { env });
    try {
      await sync.syncNow();
    } finally {
      await sync.stop();
    }
  };
  return {
    path,
    replica,
    env,
    info: () => describeProject(path, replica),
    settings,
    settingsView: () => viewSettings(replica, settings(), env),
    setCloudSync: async (on) => {
      writeSettings(replica, { cloudSyncEnabled: on });
      await apply();
    },
    setConvexUrl: async (url) => {
      writeSettings(replica, { convexUrl: checkConvexUrl(url) });
      await apply();
    },
    team: {
      create: async (options = {}) => {
        const s = settings();
        const url = requireUrl(s, env);
        const name = String(replica.read.entity("project", replica.project)?.fields["name"] ?? "Untitled project");
        const { token } = await createTeam(url, replica.project, name, s.actor, options.creationKey);
        writeSettings(replica, { token });
        await apply();
        if (running === undefined && s.cloudSyncEnabled) await pushOnce();
        return { token };
      },
      invite: async (actor, role) => {
        const access = teamAccess(replica, settings(), env);
        const name = actor.trim();
        if (name === "") throw appError("invalid-argument", "the member's name is empty; give the name they will use as --actor");
        const { token } = await inviteMember(access, name, role);
        return { token, invite: encodeInvite({ url: access.url, project: replica.project, actor: name, token }) };
      },
      list: () => listMembers(teamAccess(replica, settings(), env)),
      revoke: (actor) => revokeMember(teamAccess(replica, settings(), env), actor),
    },
    startSync: (options = {}) => {
      running ??= startProjectSync(replica, { env, ...options });
      return running;
    },
    sync: () => running,
    status: () => {
      if (running !== undefined) return viewStatus(replica, running.status(), env, "this process");
      const holder = otherHolder(replica);
      const published = holder === undefined ? undefined : readPublishedStatus(replica);
      if (holder !== undefined && published !== undefined) return viewStatus(replica, published, env, `pid ${holder.pid}`);
      if (!settings().cloudSyncEnabled) return viewStatus(replica, { state: "disabled" }, env, "nobody");
      return undefined;
    },
    close: async () => {
      await running?.stop();
      running = undefined;
      replica.close();
    },
  };
}

function describeProject(path: string, replica: Replica): ProjectInfo {
  const read = replica.read;
  return {
    file: path,
    project: replica.project,
    name: String(read.entity("project", replica.project)?.fields["name"] ?? ""),
    replica: replica.replica,
    actor: replica.actor,
    lastHlc: read.lastHlc() ?? null,
    toPush: replica.sync.outboxSize(),
    codes: read.entities("code").length,
    sources: read.entities("source").length,
    segments: read.entities("segment").length,
    openConflicts: read.conflicts().length,
  };
}

function requireUrl(settings: ProjectSettings, env: Environment): string {
  const url = effectiveUrl(settings, env);
  if (url === undefined) throw appError("not-configured", "no sync server is set; run `qc settings set convex-url URL` first");
  return checkConvexUrl(url);
}

function teamAccess(replica: Replica, settings: ProjectSettings, env: Environment): TeamAccess {
  const url = requireUrl(settings, env);
  if (settings.token === undefined) {
    throw appError("no-team", "this project is not on a sync server yet; run `qc team create` (or join with an invite)");
  }
  return { url, project: replica.project, token: settings.token };
}
