/**
 * The checks one remote op goes through before it may enter the log
 * (docs/design.md §3, §5), as a verdict: apply it, it is a duplicate, or
 * quarantine it with a reason. No writes here; the clock is advanced for ops
 * that pass (that is what receiving an HLC means).
 *
 * Order matters: decoding first (nothing else can be read reliably), then
 * identity (project, id = hlc, hlc ends in replica), then the id's history
 * (a replayed op is a duplicate even if its HLC were now ahead), then drift.
 */
import type { Clock } from "../hlc.js";
import type { Op } from "../op/op.js";
import { classifyAndEncode, contentHash, encodeOp, type EncodedOp } from "./op-codec.js";
import type { QuarantineInput } from "./quarantine.js";

export type Verdict =
  | { readonly _tag: "apply"; readonly op: Op; readonly encoded: EncodedOp }
  | { readonly _tag: "duplicate"; readonly op: Op }
  | { readonly _tag: "quarantine"; readonly entry: Omit<QuarantineInput, "from"> };

export interface CheckContext {
  readonly project: string;
  readonly clock: Clock;
  /** Canonical JSON stored (or pending in this batch) for an op id. */
  readonly jsonOf: (id: string) => string | undefined;
}

export function checkRemoteOp(raw: unknown, ctx: CheckContext): Verdict {
  const { classification: c, encoded } = classifyAndEncode(raw);
  if (c._tag === "invalid") return quarantine(raw, "invalid", c.error.message);
  if (c._tag === "future") {
    const what = c.reason === "newer-version" ? "a newer op envelope version" : "an op kind this qc does not know";
    return quarantine(raw, c.reason, `${what}: kept for a newer qc, never applied`);
  }
  return checkValidOp(raw, c.op, encoded ?? encodeOp(c.op), ctx);
}

function checkValidOp(raw: unknown, op: Op, encoded: EncodedOp, ctx: CheckContext): Verdict {
  if (op.project !== ctx.project) {
    return quarantine(raw, "wrong-project", `op ${op.id} belongs to project ${op.project}, this replica to ${ctx.project}`);
  }
  if (op.id !== op.hlc) return quarantine(raw, "id-not-hlc", `op id ${op.id} differs from its hlc ${op.hlc}`);
  if (!op.hlc.endsWith(`-${op.replica}`)) {
    return quarantine(raw, "wrong-replica", `op hlc ${op.hlc} does not end in its replica ${op.replica}`);
  }
  // The same canonical JSON is the same content hash (op-codec.ts): no hash needs storing to tell them apart.
  const known = ctx.jsonOf(op.id);
  if (known === encoded.json) return { _tag: "duplicate", op };
  if (known !== undefined) {
    return quarantine(
      raw,
      "id-reused",
      `another op with id ${op.id} is already stored (hash ${contentHash(known).slice(0, 12)}…); the first one is kept`,
    );
  }
  try {
    // An HLC at or below the clock's last cannot be ahead of anything already
    // accepted, and the next tick exceeds it anyway: skip the parse/format.
    const last = ctx.clock.last();
    if (last === undefined || op.hlc > last) ctx.clock.receive(op.hlc);
  } catch (error) {
    const tag = (error as { _tag?: unknown })._tag;
    return quarantine(raw, tag === "ClockDriftError" ? "clock-ahead" : "invalid", (error as Error).message);
  }
  return { _tag: "apply", op, encoded };
}

function quarantine(raw: unknown, reason: QuarantineInput["reason"], detail: string): Verdict {
  return { _tag: "quarantine", entry: { id: readString(raw, "id"), hlc: readString(raw, "hlc"), reason, detail, raw } };
}

function readString(raw: unknown, key: string): string | undefined {
  if (raw === null || typeof raw !== "object") return undefined;
  const v = (raw as Record<string, unknown>)[key];
  return typeof v === "string" ? v : undefined;
}
