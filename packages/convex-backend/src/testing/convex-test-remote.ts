/**
 * A RemoteOpStore over a convex-test instance running /convex, calling the
 * functions directly (`t.mutation` / `t.query`): no network, no protocol.
 * convex-test has no reactivity, so `subscribeHead` polls `ops:head`; the
 * "connection" is always up.
 */
import { convexTest } from "convex-test";
import type { FunctionArgs, FunctionReference, FunctionReturnType, GenericSchema, SchemaDefinition } from "convex/server";
import type { RemoteOpStore } from "@qc/core/sync";
import { PROTOCOL_VERSION, type Op } from "@qc/core/op";
import { loadSchema, moduleMapForDir, workspaceConvexDir } from "../local-backend/module-map.js";
import { qcApi } from "../qc-api.js";
import { callRemote } from "../remote-errors.js";

/** The two calls the adapter needs from a convex-test instance (`convexTest(...)`). */
export interface ConvexTestCaller {
  query<Q extends FunctionReference<"query">>(query: Q, args: FunctionArgs<Q>): Promise<FunctionReturnType<Q>>;
  mutation<M extends FunctionReference<"mutation">>(mutation: M, args: FunctionArgs<M>): Promise<FunctionReturnType<M>>;
}

export interface ConvexTestRemoteOptions {
  readonly t: ConvexTestCaller;
  readonly project: string;
  readonly token: string;
  /** What `identity().deployment` says; default "convex-test". */
  readonly deployment?: string;
  /** How often `subscribeHead` polls; default 20 ms. */
  readonly pollMs?: number;
}

/** A fresh in-memory deployment of /convex, with Convex's transaction limits enforced. */
export async function makeQcConvexTest(convexDir: string = workspaceConvexDir()): Promise<ConvexTestCaller> {
  const schema = (await loadSchema(convexDir)) as SchemaDefinition<GenericSchema, boolean>;
  return convexTest({ schema, modules: moduleMapForDir(convexDir), transactionLimits: true }) as unknown as ConvexTestCaller;
}

export function makeConvexTestRemote(options: ConvexTestRemoteOptions): RemoteOpStore {
  const { t, project, token } = options;
  const auth = { protocol: PROTOCOL_VERSION, token, project };
  const stops = new Set<() => void>();
  let closed = false;

  const call = <T>(name: string, run: () => Promise<T>): Promise<T> => callRemote(name, closed, run);

  function subscribeHead(onHead: (head: number) => void, onError: (error: unknown) => void): () => void {
    let last: number | undefined;
    let busy = false;
    const poll = async () => {
      if (busy) return;
      busy = true;
      try {
        const { head } = await call("ops:head", () => t.query(qcApi.ops.head, auth));
        if (head !== last && stops.has(stop)) onHead((last = head));
      } catch (error) {
        if (stops.has(stop)) onError(error);
        stop(); // a failed query stays failed until resubscribed, as with ConvexClient
      } finally {
        busy = false;
      }
    };
    const timer = setInterval(() => void poll(), options.pollMs ?? 20);
    const stop = () => {
      clearInterval(timer);
      stops.delete(stop);
    };
    stops.add(stop);
    void poll();
    return stop;
  }

  return {
    identity: () =>
      call("ops:head", async () => {
        const head = await t.query(qcApi.ops.head, auth);
        return { deployment: options.deployment ?? "convex-test", project: head.project, stream: head.stream };
      }),
    push: (ops: ReadonlyArray<Op>) => call("ops:push", () => t.mutation(qcApi.ops.push, { ...auth, ops: [...ops] })),
    pull: (after, limit) => call("ops:pull", () => t.query(qcApi.ops.pull, { ...auth, after, limit })),
    subscribeHead,
    subscribeConnection: (listener) => {
      listener(closed ? "disconnected" : "connected");
      return () => undefined;
    },
    close: async () => {
      closed = true;
      for (const stop of [...stops]) stop();
    },
  };
}
