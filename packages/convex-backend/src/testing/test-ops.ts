/**
 * Valid v1 ops for remote tests: `create` ops of codes, one replica, HLCs
 * strictly increasing with `index`, a little in the past (so the server's
 * clock-ahead check never fires). Same arguments, same ops: a re-push is
 * byte-identical.
 */
import { formatHlc, type Op } from "@qc/core/op";

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

/** Base wall time of the HLCs: a fixed instant in the past. */
const BASE_WALL_MS = Date.UTC(2026, 0, 1);

export function makeTestOps(spec: TestOpsSpec, count: number): Op[] {
  const from = spec.from ?? 0;
  return Array.from({ length: count }, (_, i) => makeTestOp(spec, from + i));
}

export function makeTestOp(spec: TestOpsSpec, index: number): Op {
  const replica = spec.replica ?? "00000000000000a1";
  // 1,000 ops per millisecond keeps the 4-hex counter far from overflow.
  const hlc = formatHlc({ wallMs: BASE_WALL_MS + Math.floor(index / 1000), counter: index % 1000, replica });
  return {
    v: 1,
    id: hlc,
    project: spec.project,
    replica,
    actor: spec.actor,
    hlc,
    kind: "create",
    target: { type: "code", id: `code-${replica}-${index}` },
    body: { fields: { name: spec.name ?? `code ${index}`, color: "#112233", parent: null } },
  };
}
