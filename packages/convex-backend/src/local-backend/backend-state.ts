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
import type { ConvexTestRunner } from "./udf.js";
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
  readonly t: ConvexTestRunner;
  readonly queue: SerialQueue;
  readonly subscribers: Set<Subscriber>;
  /** Timestamp of the latest commit (0 before any). */
  readonly now: () => bigint;
  /** A fresh commit timestamp, strictly above every earlier one. */
  readonly nextTs: () => bigint;
  readonly rememberMutation: (key: string, stored: StoredMutation) => void;
  readonly recallMutation: (key: string) => StoredMutation | undefined;
}

/** How many mutation results are kept for deduplication. */
const REMEMBERED_MUTATIONS = 10_000;

export async function makeBackendState(options: { convexDir?: string } = {}): Promise<BackendState> {
  const convexDir = options.convexDir ?? workspaceConvexDir();
  const schema = (await loadSchema(convexDir)) as SchemaDefinition<GenericSchema, boolean>;
  const t = convexTest({ schema, modules: moduleMapForDir(convexDir), transactionLimits: true }) as unknown as ConvexTestRunner;
  let last = 0n;
  const mutations = new Map<string, StoredMutation>();
  return {
    convexDir,
    t,
    queue: makeSerialQueue(),
    subscribers: new Set(),
    now: () => last,
    nextTs: () => {
      const wall = BigInt(Date.now()) * 1_000_000n;
      last = wall > last ? wall : last + 1n;
      return last;
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
