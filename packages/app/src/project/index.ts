/**
 * The project service (`@qc/app`): what the CLI, MCP server and web server
 * stand on. See project.ts.
 */
export { createProject, openProject, makeProject, type Project, type ProjectInfo } from "./project.js";
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
