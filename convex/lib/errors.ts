/**
 * The errors every qc Convex function throws: `ConvexError({ code, message })`.
 * Clients map `code` onto `RemoteErrorReason`. Messages name what the caller
 * sent (an op id, a limit) and never another project's data.
 */
import { ConvexError } from "convex/values";

export type ErrorCode =
  | "token-refused" // unknown, revoked, or other-project token
  | "forbidden" // the member's role does not allow this
  | "invalid-op" // an op failed validation (message names it)
  | "id-reused" // same op id, different content (message names it)
  | "clock-ahead" // an op's HLC is too far ahead of the server clock
  | "replica-claimed" // an op's replica id belongs to another member of the project
  | "batch-too-large"
  | "creation-key-refused" // projects:create without this deployment's creation key
  | "protocol-unsupported" // the caller's protocol version is not served here (message says which side to update)
  | "not-found"
  | "invalid-argument";

export interface ErrorData {
  readonly code: ErrorCode;
  readonly message: string;
}

export function fail(code: ErrorCode, message: string): never {
  throw new ConvexError<{ code: ErrorCode; message: string }>({ code, message });
}
