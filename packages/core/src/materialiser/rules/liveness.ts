/**
 * Liveness as pure decisions (docs/spec/merge-rules.md rules 3, 4, 6, 8).
 * An entity other than a segment is live when it was created, is not
 * deleted and, for a code, is not merged away. A segment is live while it is
 * not deleted, its anchors resolve, and its effective code and its source
 * are live.
 */
import type { EntityType } from "../../op/op.js";

export interface BaseLiveness {
  readonly type: EntityType;
  readonly created: boolean;
  readonly deleted: boolean;
  /** Codes: has an alias (merged into another code). */
  readonly mergedAway: boolean;
}

export function isBaseLive(e: BaseLiveness): boolean {
  return e.created && !e.deleted && !(e.type === "code" && e.mergedAway);
}

export interface SegmentLiveness {
  readonly deleted: boolean;
  readonly resolved: boolean;
  readonly effectiveCodeLive: boolean;
  readonly sourceLive: boolean;
}

export function isSegmentLive(s: SegmentLiveness): boolean {
  return !s.deleted && s.resolved && s.effectiveCodeLive && s.sourceLive;
}
