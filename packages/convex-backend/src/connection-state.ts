/**
 * ConvexClient's connection state, reduced to the three states of
 * `RemoteOpStore.subscribeConnection`: "connecting" until the first socket
 * opens, "connected" while one is open, "disconnected" after it was lost or
 * an attempt failed (the client keeps retrying with backoff meanwhile).
 */
import type { ConvexClient } from "convex/browser";
import type { ConnectionState } from "@qc/core/sync";

type ClientState = ReturnType<ConvexClient["connectionState"]>;

export function toConnectionState(state: ClientState): ConnectionState {
  if (state.isWebSocketConnected) return "connected";
  if (!state.hasEverConnected && state.connectionRetries === 0) return "connecting";
  return "disconnected";
}

/** Calls `listener` with the state now and on every change (consecutive repeats dropped). */
export function watchConnection(client: ConvexClient, listener: (state: ConnectionState) => void): () => void {
  let last: ConnectionState | undefined;
  const emit = (state: ClientState) => {
    const next = toConnectionState(state);
    if (next === last) return;
    last = next;
    listener(next);
  };
  const unsubscribe = client.subscribeToConnectionState(emit);
  emit(client.connectionState());
  return unsubscribe;
}
