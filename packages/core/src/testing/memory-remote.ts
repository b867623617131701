/**
 * An in-memory RemoteOpStore (docs/design.md §6, §7) with the exact semantics the
 * Convex functions have, for tests, benchmarks and the conformance suite:
 *
 * - identity { deployment: "memory:<name>", project, stream };
 * - a gapless per-project seq, starting at 1;
 * - push idempotent by op id; the same id with a different hash refuses the
 *   whole batch ("id-reused"); a batch is stored entirely or not at all;
 * - pull returns ops with seq > after, ascending, at most `limit` (clamped to
 *   `maxPage`), with the head at the time of the pull;
 * - subscribeHead calls back with the head now and on every change;
 * - optional token checks (token → member actor + role; a replica id belongs
 *   to the first member who pushes with it, "replica-claimed") and clock check.
 *
 * One `MemoryRemote` is the server; `connect()` gives a client connection
 * (what an engine's factory returns). Closing a client never affects the
 * server. Callbacks are delivered on a microtask, never inside the caller's
 * stack, as a network transport would. `calls` counts requests per client
 * and in total, so tests can assert that a disabled engine stays silent.
 */
import type { Op } from "../op/op.js";
import {
  RemoteError,
  type ConnectionState,
  type PullPage,
  type PushResult,
  type RemoteIdentity,
  type RemoteOp,
  type RemoteOpStore,
} from "../sync/remote-op-store.js";
import { ackedIds, checkPushable, claimReplicas, freshOps, type RemoteMember } from "./remote-rules.js";

export type MemoryMember = RemoteMember;

export interface MemoryRemoteOptions {
  readonly project: string;
  readonly name?: string;
  /** Default: a random id. */
  readonly stream?: string;
  /** When set, every call needs one of these tokens (see `connect`). */
  readonly members?: Readonly<Record<string, MemoryMember>>;
  /** When set, a pushed op whose HLC is more than this ahead of `now()` is refused ("clock-ahead"). */
  readonly maxAheadMs?: number;
  readonly now?: () => number;
  /** Largest pull page (default 1000). */
  readonly maxPage?: number;
}

export interface CallCounts {
  identity: number;
  push: number;
  pull: number;
  subscribeHead: number;
  subscribeConnection: number;
}

export interface MemoryClient extends RemoteOpStore {
  /** Simulate this client's connection going down / coming back. */
  readonly setConnection: (state: ConnectionState) => void;
  readonly calls: CallCounts;
  /** Open head + connection subscriptions of this client. */
  readonly openSubscriptions: () => number;
}

export interface MemoryRemote {
  readonly identity: RemoteIdentity;
  readonly connect: (options?: { readonly token?: string }) => MemoryClient;
  readonly head: () => number;
  /** Every stored op, by seq. */
  readonly ops: () => ReadonlyArray<RemoteOp>;
  /** Append anything (e.g. an invalid op) without checks, as a broken client could. */
  readonly injectRaw: (value: unknown) => number;
  /** Requests of all clients together. */
  readonly calls: CallCounts;
  /** Open subscriptions of all clients together. */
  readonly openSubscriptions: () => number;
}

export function makeMemoryRemote(options: MemoryRemoteOptions): MemoryRemote {
  const name = options.name ?? "remote";
  const identity: RemoteIdentity = {
    deployment: `memory:${name}`,
    project: options.project,
    stream: options.stream ?? randomId(),
  };
  const log: Array<RemoteOp> = [];
  const hashes = new Map<string, string>();
  const replicaOwners = new Map<string, string>();
  const headListeners = new Set<(head: number) => void>();
  const clients = new Set<MemoryClient>();
  const calls = zeroCounts();

  const append = (value: unknown): number => {
    log.push({ seq: log.length + 1, op: value, receivedAt: Date.now() });
    const head = log.length;
    for (const l of [...headListeners]) queueMicrotask(() => l(head));
    return head;
  };

  const storeBatch = (ops: ReadonlyArray<Op>, member: MemoryMember | undefined): PushResult => {
    ops.forEach((op, index) => checkPushable(op, member, options, index));
    const fresh = freshOps(ops, (id) => hashes.get(id));
    if (member !== undefined) claimReplicas(ops, member.actor, replicaOwners);
    for (const { op, hash } of fresh) {
      hashes.set(op.id, hash);
      log.push({ seq: log.length + 1, op: detach(op), receivedAt: Date.now() });
    }
    if (fresh.length > 0) {
      const head = log.length;
      for (const l of [...headListeners]) queueMicrotask(() => l(head));
    }
    return { acked: ackedIds(ops), head: log.length };
  };

  const connect = (connectOptions: { readonly token?: string } = {}): MemoryClient => {
    const own = zeroCounts();
    const subscriptions = new Set<() => void>();
    const connectionListeners = new Set<(state: ConnectionState) => void>();
    const ownHeadListeners = new Set<(head: number) => void>();
    let state: ConnectionState = "connected";
    let closed = false;

    const count = (what: keyof CallCounts): void => {
      own[what] += 1;
      calls[what] += 1;
    };
    const member = (): MemoryMember | undefined => {
      if (options.members === undefined) return undefined;
      const m = connectOptions.token === undefined ? undefined : options.members[connectOptions.token];
      if (m === undefined) throw new RemoteError({ reason: "token-refused", message: "unknown or revoked token", retryable: false });
      return m;
    };
    // A request: answered asynchronously, refused while down or closed.
    const request = <A>(what: keyof CallCounts, f: () => A): Promise<A> => {
      count(what);
      return Promise.resolve().then(() => {
        if (closed) throw new RemoteError({ reason: "unreachable", message: "the connection is closed", retryable: true });
        if (state !== "connected") throw new RemoteError({ reason: "unreachable", message: "not connected", retryable: true });
        return f();
      });
    };

    const client: MemoryClient = {
      calls: own,
      openSubscriptions: () => subscriptions.size,
      identity: () => request("identity", () => (member(), identity)),
      push: (ops) => request("push", () => storeBatch(ops, member())),
      pull: (after, limit) =>
        request("pull", (): PullPage => {
          member();
          if (!Number.isInteger(after) || after < 0 || !Number.isInteger(limit) || limit < 1) {
            throw new RemoteError({ reason: "invalid-op", message: `bad pull arguments (${after}, ${limit})`, retryable: false });
          }
          const n = Math.min(limit, options.maxPage ?? 1000);
          return { ops: log.slice(after, after + n), head: log.length };
        }),
      subscribeHead: (onHead, onError) => {
        count("subscribeHead");
        let active = true;
        const listener = (head: number): void => {
          if (active && state === "connected") onHead(head);
        };
        queueMicrotask(() => {
          if (!active) return;
          try {
            member();
            headListeners.add(listener);
            ownHeadListeners.add(listener);
            listener(log.length);
          } catch (error) {
            onError(error);
          }
        });
        const unsubscribe = (): void => {
          active = false;
          headListeners.delete(listener);
          ownHeadListeners.delete(listener);
          subscriptions.delete(unsubscribe);
        };
        subscriptions.add(unsubscribe);
        return unsubscribe;
      },
      subscribeConnection: (listener) => {
        count("subscribeConnection");
        connectionListeners.add(listener);
        const current = state;
        queueMicrotask(() => connectionListeners.has(listener) && listener(current));
        const unsubscribe = (): void => {
          connectionListeners.delete(listener);
          subscriptions.delete(unsubscribe);
        };
        subscriptions.add(unsubscribe);
        return unsubscribe;
      },
      setConnection: (next) => {
        if (next === state) return;
        state = next;
        for (const l of [...connectionListeners]) queueMicrotask(() => l(next));
        // Like a reactive client after a reconnect: subscribers get the head again.
        if (next === "connected") for (const l of [...ownHeadListeners]) queueMicrotask(() => l(log.length));
      },
      close: async () => {
        closed = true;
        for (const unsubscribe of [...subscriptions]) unsubscribe();
        clients.delete(client);
      },
    };
    clients.add(client);
    return client;
  };

  return {
    identity,
    connect,
    head: () => log.length,
    ops: () => log,
    injectRaw: append,
    calls,
    openSubscriptions: () => [...clients].reduce((n, c) => n + c.openSubscriptions(), 0),
  };
}

function zeroCounts(): CallCounts {
  return { identity: 0, push: 0, pull: 0, subscribeHead: 0, subscribeConnection: 0 };
}

/** Stored ops must not change when the pusher mutates its objects later. */
function detach(op: Op): Op {
  return JSON.parse(JSON.stringify(op)) as Op;
}

function randomId(): string {
  return Array.from({ length: 16 }, () => Math.floor(Math.random() * 16).toString(16)).join("");
}
