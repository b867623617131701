/**
 * The seed's sync tools, by the seed's names and arguments so an agent
 * written for the seed works: get_sync_status, get_sync_settings,
 * configure_cloud_sync ({ enabled, convex_url? }); plus sync_now. None of
 * them ever returns the member token (the settings view masks it).
 */
import * as z from "zod";
import {
  configureCloudSync,
  statusLine,
  statusNow,
  syncNowWithin,
  SYNC_NOW_TIMEOUT_MS,
  type Project,
  type StatusView,
} from "../project/index.js";
import { settingsView, statusView } from "./schemas.js";
import { addTool, LOCAL_READ, type ToolContext } from "./tool-kit.js";

export function addSyncReadTools(ctx: ToolContext, project: Project): void {
  addTool(
    ctx,
    "get_sync_status",
    {
      title: "Cloud sync status",
      description:
        "The cloud sync status of this project file: state (disabled, offline, connecting, syncing, synced, error), edits waiting to be pushed and pulled, when it last synced, the error reason and what to do, whether cloud sync is on and the server URL. Subscribe to qc://sync/status to hear of changes.",
      input: {},
      output: statusView,
      annotations: LOCAL_READ,
      render: (view: StatusView) => statusLine(view),
    },
    () => statusNow(project),
  );
  addTool(
    ctx,
    "get_sync_settings",
    {
      title: "Cloud sync settings",
      description:
        "This file's settings: primary storage (always SQLite on this computer), whether cloud sync is on, the Convex URL (and whether QC_CONVEX_URL overrides it), the researcher. The token is shown masked.",
      input: {},
      output: settingsView,
      annotations: LOCAL_READ,
    },
    () => project.settingsView(),
  );
  addTool(
    ctx,
    "sync_now",
    {
      title: "Sync now",
      description: `Sends this file's waiting edits and receives the team's, and returns the status once caught up. Fails after timeout_seconds (default ${SYNC_NOW_TIMEOUT_MS / 1000}) with the status in words; edits are kept either way.`,
      input: { timeout_seconds: z.number().positive().max(600).optional().describe("how long to wait for the server (seconds)") },
      output: statusView,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
      render: (view: StatusView) => statusLine(view),
    },
    ({ timeout_seconds }) => syncNowWithin(project, timeout_seconds === undefined ? SYNC_NOW_TIMEOUT_MS : timeout_seconds * 1000),
  );
}

export function addSyncSettingTools(ctx: ToolContext, project: Project): void {
  addTool(
    ctx,
    "configure_cloud_sync",
    {
      title: "Configure cloud sync",
      description:
        "Turns cloud sync on or off, optionally with the Convex deployment URL (any http(s) URL, e.g. https://happy-otter-123.convex.cloud or http://127.0.0.1:3210; a .convex.site URL is refused). A refused URL stores nothing. Returns the settings.",
      input: {
        enabled: z.boolean().describe("true: send and receive edits through the server; false: keep them in this file only"),
        convex_url: z.string().optional().describe("the Convex deployment URL"),
      },
      output: settingsView,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    },
    ({ enabled, convex_url }) => configureCloudSync(project, { enabled, convexUrl: convex_url }),
  );
}
