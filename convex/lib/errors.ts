/**
 * The errors every qc Convex function throws: `ConvexError({ code, message })`,
 * with a `code` of `QcErrorCode` (`@qc/core/op`, shared with the clients,
 * which map it onto `RemoteErrorReason`). Messages name what the caller
 * sent (an op id, a limit) and never another project's data.
 */
import type { QcErrorCode } from "@qc/core/op";
import { ConvexError } from "convex/values";

export interface ErrorData {
  readonly code: QcErrorCode;
  readonly message: string;
}

export function fail(code: QcErrorCode, message: string): never {
  throw new ConvexError<{ code: QcErrorCode; message: string }>({ code, message });
}
