/**
 * Valid v1 ops for remote tests and benches: `create` ops of codes, one
 * replica, HLCs strictly increasing with `index`, a little in the past (so
 * the server's clock-ahead check never fires). Same arguments, same ops: a
 * re-push is byte-identical. Built by the one op builder.
 */
import type { Op } from "../../op/op.js";
import { makeOpBuilder } from "./op-builder.js";

export interface TestOpsSpec {
  readonly project: string;
  readonly actor: string;
  /** 16 lowercase hex chars; default "00000000000000a1". */
  readonly replica?: string;
  /** Index of the first op (ops `from` .. `from + count - 1`). */
  readonly from?: number;
  /** Code name written into every op; change it to get other content under the same ids. */
  readonly name?: string;
}

export function makeTestOps(spec: TestOpsSpec, count: number): Op[] {
  const from = spec.from ?? 0;
  return Array.from({ length: count }, (_, i) => makeTestOp(spec, from + i));
}

export function makeTestOp(spec: TestOpsSpec, index: number): Op {
  const replica = spec.replica ?? "00000000000000a1";
  return makeOpBuilder({ project: spec.project, actor: spec.actor, replica, validate: false })({
    kind: "create",
    at: index,
    target: { type: "code", id: `code-${replica}-${index}` },
    body: { fields: { name: spec.name ?? `code ${index}`, color: "#112233", parent: null } },
  });
}
