/**
 * `replica.read`: everything a researcher (or an adapter: CLI, MCP, web)
 * reads from a replica — entities, the code and source trees, segments with
 * their text, links, conflicts, history, blame, state at a point in time,
 * quarantine, verify. Every reader sees committed state only; none writes
 * (verify and stateAt replay into separate in-memory databases).
 */
import type Database from "better-sqlite3";
import type { History } from "../history/index.js";
import { stateAt, withStateAt, type PointInTime } from "../history/state-at.js";
import {
  canonicalState,
  getEntity,
  listConflicts,
  listEntities,
  listLinks,
  type Conflict,
  type EntityState,
  type Link,
  type ListOptions,
} from "../materialiser/index.js";
import { listQuarantine, type QuarantineEntry } from "../op-log/quarantine.js";
import { verifyState, type VerifyOptions, type VerifyResult } from "../op-log/verify.js";
import type { Blame } from "../history/blame.js";
import type { EntityType, Op } from "../op/op.js";
import { listSegmentViews, type SegmentFilter, type SegmentView } from "./segments.js";
import { treeOf, type TreeKind, type TreeNode } from "./tree.js";
import { logPosition, opsSince } from "./log-position.js";

export interface ReplicaRead {
  readonly entity: (type: EntityType, id: string) => EntityState | undefined;
  readonly entities: (type: EntityType, options?: ListOptions) => ReadonlyArray<EntityState>;
  /** Live categories and codes (or folders and sources) nested under their shown parent, with segment counts. */
  readonly tree: (kind: TreeKind) => ReadonlyArray<TreeNode>;
  /** Live segments with the passage they cover, filtered by effective code, source or coder. */
  readonly segments: (filter?: SegmentFilter) => ReadonlyArray<SegmentView>;
  /** Live case-source links (of one case, or all). */
  readonly links: (caseId?: string) => ReadonlyArray<Link>;
  /** Open conflicts (or all, with includeResolved), the same on every replica holding the same ops. */
  readonly conflicts: (options?: { readonly includeResolved?: boolean }) => ReadonlyArray<Conflict>;
  readonly history: History;
  readonly blame: (type: EntityType, id: string) => Blame;
  /** Canonical state as it was at `at` (an HLC or a wall time). */
  readonly stateAt: (at: PointInTime) => string;
  /**
   * The project as it was at `at`: both trees, and with `{ state: true }` its
   * canonical state too, from one restore or replay. The state is a dump of
   * every table (seconds at 1,000,000 ops), so only those who show it ask.
   */
  readonly asOf: (at: PointInTime, options?: { readonly state?: boolean }) => PastView;
  readonly quarantine: () => ReadonlyArray<QuarantineEntry>;
  /** Compares a rebuild from the log (from the latest checkpoint unless `full`) with the materialised tables. */
  readonly verify: (options?: VerifyOptions) => VerifyResult;
  /** JSON of the whole materialised state with sorted keys: equal on replicas holding the same ops. */
  readonly canonicalState: () => string;
  /** The highest HLC this replica issued or saw. */
  readonly lastHlc: () => string | undefined;
  /**
   * A number that changes whenever another connection (another process on
   * the same file) commits; cheap to poll (SQLite `PRAGMA data_version`).
   * Own commits do not change it.
   */
  readonly dataVersion: () => number;
  /** The local position of the newest op in the log (grows with every op stored, by any process). */
  readonly logPosition: () => number;
  /** Up to `limit` (default 500) ops stored after `position`, in storage order. */
  readonly opsSince: (position: number, limit?: number) => ReadonlyArray<{ readonly position: number; readonly op: Op }>;
}

export interface PastView {
  /** Only when asked for (`{ state: true }`). */
  readonly state?: string;
  readonly codes: ReadonlyArray<TreeNode>;
  readonly sources: ReadonlyArray<TreeNode>;
}

export function makeReplicaRead(db: Database.Database, history: History, lastHlc: () => string | undefined): ReplicaRead {
  const entity = (type: EntityType, id: string): EntityState | undefined => getEntity(db, type, id);
  const liveSegments = (): ReadonlyArray<EntityState> => listEntities(db, "segment");
  return {
    entity,
    entities: (type, options) => listEntities(db, type, options),
    tree: (kind) => treeOf(db, kind),
    segments: (filter) =>
      listSegmentViews(
        {
          segments: liveSegments(),
          sourceText: memo((source) => String(entity("source", source)?.fields["content"] ?? "")),
          coderOf: (segment) => history.ofEntity("segment", segment).find((e) => e.op.kind === "create")?.op.actor ?? "",
        },
        filter,
      ),
    links: (caseId) => listLinks(db, caseId),
    conflicts: (options) => listConflicts(db, options),
    history,
    blame: history.blame,
    stateAt: (at) => stateAt(db, at),
    asOf: (at, options = {}) =>
      withStateAt(db, at, (past) => ({
        codes: treeOf(past, "codes"),
        sources: treeOf(past, "sources"),
        ...(options.state === true ? { state: canonicalState(past) } : {}),
      })),
    quarantine: () => listQuarantine(db),
    verify: (options) => verifyState(db, options),
    canonicalState: () => canonicalState(db),
    lastHlc,
    dataVersion: () => db.pragma("data_version", { simple: true }) as number,
    logPosition: () => logPosition(db),
    opsSince: (position, limit = 500) => opsSince(db, position, limit),
  };
}

function memo(fn: (key: string) => string): (key: string) => string {
  const cache = new Map<string, string>();
  return (key) => {
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    const value = fn(key);
    cache.set(key, value);
    return value;
  };
}

export type { SegmentFilter, SegmentView } from "./segments.js";
export type { TreeKind, TreeNode } from "./tree.js";
