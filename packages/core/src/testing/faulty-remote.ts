/**
 * A fault-injecting RemoteOpStore wrapper for convergence tests.
 *
 * Driven by a seeded FaultSchedule (one per replica, shared by every
 * connection that replica opens, so a partition survives an engine restart):
 *
 * - dropped requests: the call fails "unreachable" without reaching the server;
 * - dropped responses: the server applies the call, the caller gets "unreachable";
 * - timeouts: the call never answers (half of them were applied first);
 * - head notifications delivered late (reordered), twice (duplicated), or
 *   held back during a partition and replayed after it;
 * - partitions: the connection reports "disconnected" and every call fails
 *   until `heal()`;
 * - small random latencies so that concurrent calls interleave differently.
 *
 * `calm()` stops every fault (partitions heal), after which the wrapper is a
 * transparent pass-through: the test then checks convergence.
 */
import { RemoteError, type ConnectionState, type RemoteOpStore } from "../sync/remote-op-store.js";
import { makePrng } from "./pure/prng.js";

export interface FaultRates {
  readonly dropRequest: number;
  readonly dropResponse: number;
  readonly timeout: number;
  readonly duplicateHead: number;
  readonly reorderHead: number;
  /** Largest random latency added before and after a call, ms. */
  readonly maxLatencyMs: number;
}

export const noFaults: FaultRates = {
  dropRequest: 0,
  dropResponse: 0,
  timeout: 0,
  duplicateHead: 0,
  reorderHead: 0,
  maxLatencyMs: 0,
};

export interface FaultSchedule {
  readonly random: () => number;
  readonly rates: () => FaultRates;
  readonly partitioned: () => boolean;
  readonly partition: () => void;
  readonly heal: () => void;
  /** No more faults from now on; heals a partition. */
  readonly calm: () => void;
  readonly onPartition: (listener: (partitioned: boolean) => void) => () => void;
  /** How many faults of each kind were injected. */
  readonly injected: Record<"dropRequest" | "dropResponse" | "timeout" | "duplicateHead" | "reorderHead", number>;
}

export function makeFaultSchedule(options: { readonly seed: number; readonly rates: Partial<FaultRates> }): FaultSchedule {
  const random = makePrng(options.seed);
  let rates: FaultRates = { ...noFaults, ...options.rates };
  let partitioned = false;
  const listeners = new Set<(p: boolean) => void>();
  const set = (p: boolean): void => {
    if (p === partitioned) return;
    partitioned = p;
    for (const l of [...listeners]) l(p);
  };
  return {
    random,
    rates: () => rates,
    partitioned: () => partitioned,
    partition: () => set(true),
    heal: () => set(false),
    calm: () => {
      rates = noFaults;
      set(false);
    },
    onPartition: (l) => {
      listeners.add(l);
      return () => void listeners.delete(l);
    },
    injected: { dropRequest: 0, dropResponse: 0, timeout: 0, duplicateHead: 0, reorderHead: 0 },
  };
}

export function makeFaultyRemote(inner: RemoteOpStore, schedule: FaultSchedule): RemoteOpStore {
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let closed = false;
  const later = (ms: number, f: () => void): void => {
    const t = setTimeout(() => {
      timers.delete(t);
      if (!closed) f();
    }, ms);
    timers.add(t);
  };
  const latency = (): Promise<void> => {
    const max = schedule.rates().maxLatencyMs;
    if (max <= 0) return Promise.resolve();
    return new Promise((resolve) => later(Math.floor(schedule.random() * max), resolve));
  };
  const roll = (rate: number): boolean => rate > 0 && schedule.random() < rate;
  const unreachable = (what: string) => new RemoteError({ reason: "unreachable", message: `injected fault: ${what}`, retryable: true });

  const call = async <A>(f: () => Promise<A>): Promise<A> => {
    await latency();
    const rates = schedule.rates();
    if (schedule.partitioned()) throw unreachable("partitioned");
    if (roll(rates.dropRequest)) {
      schedule.injected.dropRequest += 1;
      throw unreachable("request dropped");
    }
    if (roll(rates.timeout)) {
      schedule.injected.timeout += 1;
      if (schedule.random() < 0.5) await f().catch(() => undefined);
      return new Promise<A>(() => {}); // never answers: the caller's timeout fires
    }
    const result = await f();
    await latency();
    if (roll(rates.dropResponse)) {
      schedule.injected.dropResponse += 1;
      throw unreachable("response dropped");
    }
    return result;
  };

  return {
    identity: () => call(() => inner.identity()),
    push: (ops) => call(() => inner.push(ops)),
    pull: (after, limit) => call(() => inner.pull(after, limit)),
    subscribeHead: (onHead, onError) => {
      let latest: number | undefined;
      let active = true;
      const deliver = (head: number): void => {
        if (active && !closed && !schedule.partitioned()) onHead(head);
      };
      const unsubscribeInner = inner.subscribeHead((head) => {
        latest = head;
        const rates = schedule.rates();
        if (roll(rates.reorderHead)) {
          schedule.injected.reorderHead += 1;
          later(Math.floor(schedule.random() * 30), () => deliver(head));
        } else deliver(head);
        if (roll(rates.duplicateHead)) {
          schedule.injected.duplicateHead += 1;
          later(Math.floor(schedule.random() * 30), () => deliver(head));
        }
      }, onError);
      // After a partition heals, the held-back head arrives (as a reconnect would).
      const unsubscribePartition = schedule.onPartition((p) => {
        if (!p && latest !== undefined) deliver(latest);
      });
      return () => {
        active = false;
        unsubscribePartition();
        unsubscribeInner();
      };
    },
    subscribeConnection: (listener) => {
      let innerState: ConnectionState = "connecting";
      const emit = (): void => listener(schedule.partitioned() ? "disconnected" : innerState);
      const unsubscribeInner = inner.subscribeConnection((state) => {
        innerState = state;
        emit();
      });
      const unsubscribePartition = schedule.onPartition(emit);
      return () => {
        unsubscribePartition();
        unsubscribeInner();
      };
    },
    close: async () => {
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await inner.close();
    },
  };
}
