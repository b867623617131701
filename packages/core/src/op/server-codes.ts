/**
 * Names the server and every client share: the roles of a project member and
 * the `code` of every `ConvexError({ code, message })` the qc Convex functions
 * throw (the refusals of a push among them). Declared once here, in the pure
 * `@qc/core/op` that convex/ imports; clients map each code onto a
 * `RemoteErrorReason` (`convex-backend/src/remote-errors.ts`).
 */

export const ROLES = ["owner", "editor", "viewer"] as const;
export type Role = (typeof ROLES)[number];

export type QcErrorCode =
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
