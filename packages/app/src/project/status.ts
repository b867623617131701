/**
 * The sync status a researcher sees (docs/design.md §6 states, seed criterion 7):
 * the engine's state with its figures, whether cloud sync is on, the URL
 * (and whether QC_CONVEX_URL overrides it), ops waiting to be pushed and
 * when the file last synced. Never the token. One shape for `qc status
 * --json`, the status line, and later SSE and the MCP resource.
 */
import type { JsonValue, Replica, SyncStatus } from "@qc/core";
import { PRIMARY_STORAGE, effectiveUrl, readSettings, type Environment } from "./settings.js";

export interface StatusView {
  readonly state: SyncStatus["state"];
  readonly reason?: string;
  readonly message?: string;
  readonly toPush: number;
  readonly toPull?: number;
  /** For state "synced": since when. */
  readonly since?: string;
  readonly primaryStorage: typeof PRIMARY_STORAGE;
  readonly cloudSyncEnabled: boolean;
  readonly convexUrl: string | null;
  readonly convexUrlSource: "settings" | "QC_CONVEX_URL";
  readonly lastSyncedAt: string | null;
  /** Which process runs the engine: "this process", or "pid N". */
  readonly syncedBy: string;
}

export function viewStatus(
  replica: Replica,
  status: SyncStatus | Readonly<Record<string, JsonValue>>,
  env: Environment,
  syncedBy: string,
): StatusView {
  const settings = readSettings(replica);
  const url = effectiveUrl(settings, env);
  const s = status as Record<string, unknown>;
  const state = String(s["state"]) as SyncStatus["state"];
  return {
    state,
    ...(typeof s["reason"] === "string" ? { reason: s["reason"] } : {}),
    ...(typeof s["message"] === "string" ? { message: s["message"] } : {}),
    toPush: replica.sync.outboxSize(),
    ...(typeof s["toPull"] === "number" ? { toPull: s["toPull"] } : {}),
    ...(state === "synced" ? { since: s["at"] instanceof Date ? s["at"].toISOString() : String(s["at"]) } : {}),
    primaryStorage: PRIMARY_STORAGE,
    cloudSyncEnabled: settings.cloudSyncEnabled,
    convexUrl: url ?? null,
    convexUrlSource: url !== settings.convexUrl ? "QC_CONVEX_URL" : "settings",
    lastSyncedAt: settings.lastSyncedAt ?? null,
    syncedBy,
  };
}

/** One line for a terminal: "synced since 12:00:01 · 0 to push". */
export function statusLine(view: StatusView): string {
  const figures = `${view.toPush} to push`;
  switch (view.state) {
    case "disabled":
      return `cloud sync off · ${figures} (kept in this file)`;
    case "offline":
      return `offline · ${figures} · ${view.message ?? ""}`;
    case "connecting":
      return `connecting to ${view.convexUrl ?? "?"} · ${figures}`;
    case "syncing":
      return `syncing · ${figures} · ${view.toPull ?? 0} to pull`;
    case "synced":
      return `synced since ${view.since?.slice(11, 19) ?? "?"} · ${figures}`;
    case "error":
      return `error (${view.reason ?? "?"}) · ${figures} · ${view.message ?? ""}`;
  }
}
