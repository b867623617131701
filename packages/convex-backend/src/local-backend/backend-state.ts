/**
 * Everything the local backend keeps between restarts: the convex-test
 * instance (all table data), the commit clock, the results of recent
 * mutations (for deduplicating resends), and the queue every function runs
 * through. Sockets and the HTTP server are not here: `restart()` drops them
 * and keeps this.
 */
import { convexTest } from "convex-test";
import type { SchemaDefinition, GenericSchema } from "convex/server";
import { loadSchema, moduleMapForDir, workspaceConvexDir } from "./module-map.js";
import { makeSerialQueue, type SerialQueue } from "./serial-queue.js";
import type { JSONValue } from "convex/values";
import { makePublicCheck } from "./public-functions.js";
import { runUdf, type ConvexTestRunner, type UdfType } from "./udf.js";
import type { UdfOutcome } from "./wire.js";

/** A mutation's stored result, returned again if its request is resent. */
export interface StoredMutation {
  readonly outcome: UdfOutcome;
  readonly ts: bigint | undefined;
}

/** What the state needs from each live sync socket. */
export interface Subscriber {
  /** Re-run subscribed queries and send a Transition ending at `ts`. */
  readonly refresh: (ts: bigint, cache: Map<string, UdfOutcome>) => Promise<void>;
}

export interface BackendState {
  readonly convexDir: string;
  /** Table names of the schema. */
  readonly tables: ReadonlyArray<string>;
  readonly t: ConvexTestRunner;
  /** Run a public function as a client may (internal and missing ones are refused). */
  readonly run: (type: UdfType, udfPath: string, args: ReadonlyArray<JSONValue>) => Promise<UdfOutcome>;
  readonly queue: SerialQueue;
  readonly subscribers: Set<Subscriber>;
  /** Timestamp of the latest commit (0 before any). */
  readonly now: () => bigint;
  /** A fresh commit timestamp, strictly above every earlier one. */
  readonly nextTs: () => bigint;
  /** Never hand out a timestamp at or below `ts` (after restoring a snapshot). */
  readonly advanceClock: (ts: bigint) => void;
  readonly rememberMutation: (key: string, stored: StoredMutation) => void;
  readonly recallMutation: (key: string) => StoredMutation | undefined;
}

/** How many mutation results are kept for deduplication. */
const REMEMBERED_MUTATIONS = 10_000;

export async function makeBackendState(options: { convexDir?: string } = {}): Promise<BackendState> {
  const convexDir = options.convexDir ?? workspaceConvexDir();
  const schema = (await loadSchema(convexDir)) as SchemaDefinition<GenericSchema, boolean>;
  const modules = moduleMapForDir(convexDir);
  const t = convexTest({ schema, modules, transactionLimits: true }) as unknown as ConvexTestRunner;
  const isPublic = makePublicCheck(convexDir, modules);
  let last = 0n;
  const mutations = new Map<string, StoredMutation>();
  return {
    convexDir,
    tables: Object.keys(schema.tables),
    t,
    run: async (type, udfPath, args) => {
      const refusal = await isPublic(type, udfPath);
      return refusal === undefined ? runUdf(t, type, udfPath, args) : { success: false, errorMessage: refusal };
    },
    queue: makeSerialQueue(),
    subscribers: new Set(),
    now: () => last,
    nextTs: () => {
      const wall = BigInt(Date.now()) * 1_000_000n;
      last = wall > last ? wall : last + 1n;
      return last;
    },
    advanceClock: (ts) => {
      if (ts > last) last = ts;
    },
    rememberMutation: (key, stored) => {
      mutations.set(key, stored);
      if (mutations.size > REMEMBERED_MUTATIONS) {
        const oldest = mutations.keys().next();
        if (oldest.done !== true) mutations.delete(oldest.value);
      }
    },
    recallMutation: (key) => mutations.get(key),
  };
}
