/**
 * The one table from an error to what each front door reports: the CLI's
 * exit code, an MCP error code (JSON-RPC) and an HTTP status. Every reason
 * of every error type has a row (exhaustive switches: a new reason does not
 * compile until it has one). Exit codes are documented in
 * docs/user-guide/errors.md.
 *
 * Exit codes: 0 ok, 1 unexpected failure (a bug), 2 usage (unknown command
 * or option), 3 input refused (nothing written), 4 project file problem,
 * 5 sync server unreachable (edits are kept), 6 access refused (token, role),
 * 7 other sync failure, 8 busy (another process syncs this file).
 */
import {
  CommandError,
  OpLogError,
  RemoteError,
  SyncError,
  type CommandErrorReason,
  type OpLogErrorReason,
  type SyncErrorReason,
} from "@qc/core";
import { AppError, type AppErrorReason } from "./errors.js";

export type ExitCode = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;

export interface ErrorReport {
  /** Which error type and reason, e.g. "CommandError/invalid-color". */
  readonly error: string;
  readonly reason: string;
  readonly message: string;
  readonly exitCode: ExitCode;
  /** JSON-RPC error code for the MCP server. */
  readonly mcpCode: number;
  readonly httpStatus: number;
}

interface Row {
  readonly exit: ExitCode;
  readonly mcp: number;
  readonly http: number;
}

const INVALID_PARAMS = -32602;
const INTERNAL = -32603;
const input = (http = 400): Row => ({ exit: 3, mcp: INVALID_PARAMS, http });
const file = (http = 400): Row => ({ exit: 4, mcp: INVALID_PARAMS, http });
const offline: Row = { exit: 5, mcp: INTERNAL, http: 503 };
const access = (http: number): Row => ({ exit: 6, mcp: INTERNAL, http });
const sync = (http = 502): Row => ({ exit: 7, mcp: INTERNAL, http });
const defect: Row = { exit: 1, mcp: INTERNAL, http: 500 };

export function reportError(error: unknown): ErrorReport {
  const [name, reason, row] = classify(error);
  const message = error instanceof Error ? error.message : String(error);
  return { error: `${name}/${reason}`, reason, message, exitCode: row.exit, mcpCode: row.mcp, httpStatus: row.http };
}

function classify(error: unknown): [string, string, Row] {
  if (error instanceof AppError) return ["AppError", error.reason, appRow(error.reason)];
  if (error instanceof CommandError) return ["CommandError", error.reason, commandRow(error.reason)];
  if (error instanceof OpLogError) return ["OpLogError", error.reason, opLogRow(error.reason)];
  if (error instanceof SyncError) return ["SyncError", error.reason, syncRow(error.reason)];
  if (error instanceof RemoteError) return ["RemoteError", error.reason, syncRow(error.reason)];
  return ["Error", "unexpected", defect];
}

export function appRow(reason: AppErrorReason): Row {
  switch (reason) {
    case "invalid-url":
    case "site-url":
    case "invalid-setting":
    case "invalid-invite":
    case "invite-mismatch":
    case "invalid-argument":
      return input();
    case "no-project":
      return file();
    case "not-configured":
    case "no-team":
      return sync(409);
    case "sync-busy":
      return { exit: 8, mcp: INTERNAL, http: 409 };
    case "sync-timeout":
      return { ...offline, http: 504 };
  }
}

export function commandRow(reason: CommandErrorReason): Row {
  switch (reason) {
    case "not-found":
      return input(404);
    case "not-live":
    case "already-live":
    case "would-create-cycle":
    case "not-linked":
    case "superseded":
    case "already-undone":
    case "not-undoable":
      return input(409);
    case "out-of-range":
    case "invalid-color":
    case "invalid-name":
    case "invalid-value":
      return input(422);
  }
}

export function opLogRow(reason: OpLogErrorReason): Row {
  switch (reason) {
    case "invalid-option":
    case "invalid-time":
      return input();
    case "not-a-replica":
      return file(404);
    case "file-exists":
    case "project-mismatch":
    case "wrong-stream":
    case "wrong-project":
      return file(409);
    case "schema-too-new":
    case "corrupt-meta":
      return file(500);
    case "invalid-local-op":
      return defect;
  }
}

export function syncRow(reason: SyncErrorReason): Row {
  switch (reason) {
    case "unreachable":
    case "write-conflict":
      return offline;
    case "token-refused":
      return access(401);
    case "forbidden":
    case "replica-claimed":
      return access(403);
    case "not-configured":
    case "disabled":
      return sync(409);
    case "invalid-op":
    case "id-reused":
    case "clock-ahead":
    case "wrong-stream":
    case "protocol":
    case "protocol-unsupported":
    case "replica-failed":
      return sync();
  }
}
