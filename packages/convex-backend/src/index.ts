/**
 * `@qc/convex-backend`: the Convex side of sync for the app: ConvexRemote
 * (a RemoteOpStore over the real Convex clients) and typed references to the
 * qc functions. Test helpers live in `@qc/convex-backend/testing`.
 */
export { makeConvexRemote, type ConvexRemoteOptions } from "./convex-remote.js";
export { qcApi, type QcErrorCode, type Role } from "./qc-api.js";
export { toRemoteError } from "./remote-errors.js";
