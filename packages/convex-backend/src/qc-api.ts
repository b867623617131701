/**
 * Typed references to the qc Convex functions (/convex), by name. The
 * generated `convex/_generated/api` is not importable from a package
 * (no cross-package relative imports), so the signatures are restated here;
 * the conformance suite against /convex catches any drift.
 */
import type { Role } from "@qc/core/op";
import { makeFunctionReference } from "convex/server";

export type { QcErrorCode, Role } from "@qc/core/op";

/** Every function takes the caller's protocol version (`PROTOCOL_VERSION` of `@qc/core/op`; absent: 1). */
type Versioned = { protocol?: number };
type Auth = Versioned & { token: string; project: string };

export const qcApi = {
  projects: {
    create: makeFunctionReference<
      "mutation",
      Versioned & { project: string; name: string; actor: string; key?: string },
      { token: string; stream: string }
    >("projects:create"),
  },
  members: {
    invite: makeFunctionReference<"mutation", Auth & { actor: string; role: Role }, { token: string }>("members:invite"),
    list: makeFunctionReference<"query", Auth, { actor: string; role: Role; revoked: boolean }[]>("members:list"),
    revoke: makeFunctionReference<"mutation", Auth & { actor: string }, null>("members:revoke"),
  },
  ops: {
    push: makeFunctionReference<"mutation", Auth & { ops: unknown[] }, { acked: string[]; head: number }>("ops:push"),
    pull: makeFunctionReference<
      "query",
      Auth & { after: number; limit?: number; maxBytes?: number },
      { ops: { seq: number; op: unknown; receivedAt?: number }[]; head: number }
    >("ops:pull"),
    head: makeFunctionReference<"query", Auth, { project: string; stream: string; head: number }>("ops:head"),
  },
} as const;
