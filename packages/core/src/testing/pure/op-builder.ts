/**
 * The one op builder of the tests, benches and simulations
 * (`@qc/core/testing/pure`, also re-exported by `@qc/core/testing`).
 *
 * `makeOp(init)` fills in a valid v1 envelope around whatever `init` gives and
 * checks the result with `decodeOp`, so a test that builds an op by mistake
 * fails at the builder with the decoder's message. To get an invalid op on
 * purpose, build a valid one and spread over it: `{ ...makeOp(), id: "x" }`.
 * Benches and simulations that build many ops pass `validate: false` and
 * decode samples instead.
 *
 * HLCs come from one clock per replica whose wall time is fixed at
 * 2026-01-01T00:00:00.000Z (or `now`), so ops built one after another have
 * strictly increasing HLCs and repeatable ids within a test file. `at: i`
 * instead stamps the i-th HLC of the replica (`hlcAt`): the same index gives
 * the same id, whatever was built before.
 */
import * as Either from "effect/Either";
import { makeClock, parseHlc } from "../../hlc.js";
import type { Clock, Hlc } from "../../hlc.js";
import { DOMAIN } from "../../op/domain.js";
import { decodeOp } from "../../op/op-schema.js";
import { hlcAt, TEST_EPOCH_MS } from "./test-hlc.js";
import type { EntityType, Op, OpKind, Target } from "../../op/op.js";

export type OpOf<K extends OpKind> = Extract<Op, { readonly kind: K }>;

export interface OpInit<K extends OpKind> {
  readonly kind?: K;
  readonly target?: Target;
  readonly body?: OpOf<K>["body"];
  readonly project?: string;
  readonly replica?: string;
  readonly actor?: string;
  /** Also the op's id. Its replica is the op's replica unless `replica` is given. */
  readonly hlc?: Hlc;
  /** Instead of `hlc`: the HLC at this index of the op's replica (`hlcAt` over the builder's wall clock). */
  readonly at?: number;
  readonly prev?: ReadonlyArray<string>;
  readonly undoes?: string;
}

export interface OpBuilderOptions {
  readonly project?: string;
  readonly replica?: string;
  readonly actor?: string;
  /** Wall clock for generated HLCs; default fixed at 2026-01-01T00:00:00.000Z (`TEST_EPOCH_MS`). */
  readonly now?: () => number;
  /** Check each op with `decodeOp` (default true); benches and simulations turn it off for speed. */
  readonly validate?: boolean;
}

export type OpBuilder = <K extends OpKind = "create">(init?: OpInit<K>) => OpOf<K>;

export const DEFAULT_TEST_PROJECT = "project-1";
export const DEFAULT_TEST_REPLICA = "7f3a9c2e1b4d5a6c";
export const DEFAULT_TEST_ACTOR = "actor-1";
/** base64 of an empty Yjs update (no structs, empty delete set). */
export const EMPTY_YJS_UPDATE = "AAA=";

/** A builder with its own clocks and defaults (independent of `makeOp`'s). */
export function makeOpBuilder(options: OpBuilderOptions = {}): OpBuilder {
  const clocks = new Map<string, Clock>();
  const now = options.now ?? (() => TEST_EPOCH_MS);
  const tickFor = (replica: string): Hlc => {
    let clock = clocks.get(replica);
    if (clock === undefined) {
      clock = makeClock({ replica, now, maxDriftMs: Number.MAX_SAFE_INTEGER });
      clocks.set(replica, clock);
    }
    return clock.tick();
  };
  return <K extends OpKind = "create">(init: OpInit<K> = {}): OpOf<K> => {
    const kind = init.kind ?? ("create" as K);
    const project = init.project ?? options.project ?? DEFAULT_TEST_PROJECT;
    const replica =
      init.replica ?? (init.hlc === undefined ? undefined : parseHlc(init.hlc).replica) ?? options.replica ?? DEFAULT_TEST_REPLICA;
    const hlc = init.hlc ?? (init.at === undefined ? tickFor(replica) : hlcAt(init.at, replica, now()));
    const target = init.target ?? defaultTarget(kind, project);
    const op = {
      v: 1,
      id: hlc,
      project,
      replica,
      actor: init.actor ?? options.actor ?? DEFAULT_TEST_ACTOR,
      hlc,
      kind,
      target,
      body: init.body ?? defaultBody(kind, target.type),
      ...(init.prev === undefined ? {} : { prev: init.prev }),
      ...(init.undoes === undefined ? {} : { undoes: init.undoes }),
    };
    if (options.validate === false) return op as OpOf<K>;
    const decoded = decodeOp(op);
    if (Either.isLeft(decoded)) throw decoded.left;
    return decoded.right as OpOf<K>;
  };
}

/** Builds a valid op with test defaults; successive calls get increasing HLCs. */
export const makeOp: OpBuilder = makeOpBuilder();

function defaultTarget(kind: OpKind, project: string): Target {
  switch (kind) {
    case "resolve":
      return { type: "project", id: project };
    case "link":
    case "unlink":
      return { type: "case", id: "case-1" };
    default:
      return { type: "code", id: "code-1" };
  }
}

function defaultBody(kind: OpKind, type: EntityType): Op["body"] {
  switch (kind) {
    case "create":
      return type === "segment" ? { fields: { code: "code-1", source: "source-1", start: 0, end: 10 } } : { fields: {} };
    case "set":
      return type === "segment" ? { field: "important", value: true } : { field: "name", value: "Name" };
    case "text":
      return { field: DOMAIN[type].texts[0] ?? "memo", update: EMPTY_YJS_UPDATE };
    case "move":
      return { parent: null };
    case "link":
      return { source: "source-1" };
    case "unlink":
      return { adds: [] };
    case "merge":
      return { into: "code-2" };
    case "resolve":
      return { conflict: "conflict-1" };
    case "delete":
    case "restore":
      return {};
  }
}
