/** How undo names an op in its messages: what it did, to what, by whom, and its id. */
import type { Op } from "../../op/op.js";

export function describeOp(op: Op): string {
  return `the ${op.kind} of ${op.target.type} ${op.target.id} by ${op.actor} (op ${op.id})`;
}
