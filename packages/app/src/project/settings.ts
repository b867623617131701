/**
 * Per-project settings (docs/design.md §9, the seed's BackendConfig), kept in the
 * project file's local, never-synced table (`replica.local`), versioned by
 * `settings_version`. Primary storage is always the SQLite file; Convex is
 * only where ops are exchanged. `QC_CONVEX_URL` overrides the stored URL for
 * one run and the view says so. The view masks the token.
 */
import type { Replica } from "@qc/core";
import { appError } from "./errors.js";
import { maskToken } from "./secret.js";

export const SETTINGS_VERSION = 1;
export const PRIMARY_STORAGE = "SQLite (Local)";

export interface ProjectSettings {
  readonly cloudSyncEnabled: boolean;
  readonly convexUrl: string | undefined;
  readonly token: string | undefined;
  readonly actor: string;
  /** When the engine last reported "synced" (ISO), kept across runs. */
  readonly lastSyncedAt: string | undefined;
}

/** What `qc settings show` and the other front doors display: never the token itself. */
export interface SettingsView {
  readonly primaryStorage: typeof PRIMARY_STORAGE;
  readonly cloudSyncEnabled: boolean;
  readonly convexUrl: string | null;
  /** "settings", or "QC_CONVEX_URL" when the environment overrides it for this run. */
  readonly convexUrlSource: "settings" | "QC_CONVEX_URL";
  readonly token: string | null;
  readonly actor: string;
  readonly project: string;
  readonly replica: string;
}

export interface Environment {
  readonly QC_CONVEX_URL?: string | undefined;
}

export function readSettings(replica: Replica): ProjectSettings {
  const local = replica.local;
  const version = local.get("settings_version");
  if (typeof version === "number" && version > SETTINGS_VERSION) {
    throw appError(
      "invalid-setting",
      `this project file's settings are version ${version}, newer than this qc understands (${SETTINGS_VERSION}); update qc`,
    );
  }
  return {
    cloudSyncEnabled: local.get("cloud_sync_enabled") === true,
    convexUrl: stringOr(local.get("convex_url")),
    token: stringOr(local.get("token")),
    actor: stringOr(local.get("actor")) ?? replica.actor,
    lastSyncedAt: stringOr(local.get("last_synced_at")),
  };
}

export function writeSettings(replica: Replica, patch: Partial<ProjectSettings>): void {
  const local = replica.local;
  local.set("settings_version", SETTINGS_VERSION);
  if (patch.cloudSyncEnabled !== undefined) local.set("cloud_sync_enabled", patch.cloudSyncEnabled);
  if ("convexUrl" in patch) local.set("convex_url", patch.convexUrl);
  if ("token" in patch) local.set("token", patch.token);
  if (patch.actor !== undefined) local.set("actor", patch.actor);
  if (patch.lastSyncedAt !== undefined) local.set("last_synced_at", patch.lastSyncedAt);
}

/** The URL sync uses in this run: the environment's override, else the stored one. */
export function effectiveUrl(settings: ProjectSettings, env: Environment): string | undefined {
  const override = env.QC_CONVEX_URL?.trim();
  return override !== undefined && override !== "" ? override : settings.convexUrl;
}

export function viewSettings(replica: Replica, settings: ProjectSettings, env: Environment): SettingsView {
  const url = effectiveUrl(settings, env);
  return {
    primaryStorage: PRIMARY_STORAGE,
    cloudSyncEnabled: settings.cloudSyncEnabled,
    convexUrl: url ?? null,
    convexUrlSource: url !== settings.convexUrl ? "QC_CONVEX_URL" : "settings",
    token: maskToken(settings.token),
    actor: settings.actor,
    project: replica.project,
    replica: replica.replica,
  };
}

function stringOr(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}
