/**
 * The project service (`@qc/app`): what the CLI, MCP server and web server
 * stand on. See project.ts.
 */
export { createProject, openProject, makeProject, type OpenOptions, type Project, type ProjectInfo } from "./project.js";
export { joinProject, type JoinOptions } from "./join.js";
export { AppError, appError, type AppErrorReason } from "./errors.js";
export { reportError, type ErrorReport, type ExitCode } from "./error-table.js";
export { checkConvexUrl } from "./url.js";
export { maskToken } from "./secret.js";
export { decodeInvite, encodeInvite, type Invite } from "./invite.js";
export { PRIMARY_STORAGE, type ProjectSettings, type SettingsView, type Environment } from "./settings.js";
export { statusLine, type StatusView } from "./status.js";
export type { ProjectSync } from "./project-sync.js";
export type { Member, MemberRole } from "./team.js";
export { readUserConfig, writeUserConfig, configDir, type UserConfig } from "./user-config.js";
export { watchStatus, statusNow, type StatusStream } from "./status-stream.js";
export {
  configureCloudSync,
  syncNowWithin,
  takeSyncRole,
  keepSyncRole,
  SYNC_NOW_TIMEOUT_MS,
  type CloudSyncChoice,
} from "./sync-control.js";
export { changeWatch, WATCH_MS, type ChangeWatch } from "./change-watch.js";
export { viewCode, searchText, type CodeView, type PhraseMatch } from "./research-views.js";
export { createCode, applyCodes, CODE_PALETTE, type NewCode, type SegmentToCode } from "./research-edits.js";
export { keepMaintained, maintainOnce, IDLE_MS, type IdleMaintenanceOptions, type MaintenanceStep } from "./idle-maintenance.js";
