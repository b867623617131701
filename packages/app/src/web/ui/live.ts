/**
 * What every page shares, kept live by the server's event stream: the
 * sync status (pushed by the server from the service's status stream, never
 * polled) and the op log position (every edit, here or by a colleague, the
 * CLI or an agent, moves it; pages refetch what they show when it moves).
 * EventSource reconnects by itself and sends Last-Event-ID.
 */
import { signal } from "@preact/signals";
import { useLayoutEffect, useState } from "preact/hooks";
import { ApiError } from "./api";

export interface Status {
  readonly state: "disabled" | "offline" | "connecting" | "syncing" | "synced" | "error";
  readonly reason?: string;
  readonly message?: string;
  readonly toPush: number;
  readonly toPull?: number;
  readonly since?: string;
  readonly cloudSyncEnabled: boolean;
  readonly convexUrl: string | null;
  readonly lastSyncedAt: string | null;
  readonly syncedBy: string;
}

export const status = signal<Status | undefined>(undefined);
export const position = signal(0);
export const connected = signal(false);

export function connectEvents(): void {
  const events = new EventSource("/api/events");
  events.addEventListener("open", () => (connected.value = true));
  events.addEventListener("error", () => (connected.value = false));
  events.addEventListener("status", (e) => (status.value = JSON.parse((e as MessageEvent<string>).data) as Status));
  const move = (e: Event) => (position.value = (JSON.parse((e as MessageEvent<string>).data) as { position: number }).position);
  events.addEventListener("hello", move);
  events.addEventListener("change", move);
}

export interface Loaded<T> {
  readonly data: T | undefined;
  readonly error: string | undefined;
  readonly reload: () => void;
}

/** `load()` now, again whenever the log moves or `deps` change; the last good data stays while reloading. */
export function useLive<T>(load: () => Promise<T>, deps: ReadonlyArray<unknown> = []): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [nonce, setNonce] = useState(0);
  const at = position.value;
  // A layout effect runs right after the render that saw the log move; a plain effect waits for
  // the next animation frame first (up to ~16 ms before the refetch even starts).
  useLayoutEffect(() => {
    let current = true;
    load().then(
      (value) => {
        if (!current) return;
        setData(value);
        setError(undefined);
      },
      (e: unknown) => current && setError(e instanceof ApiError ? e.message : String(e)),
    );
    return () => {
      current = false;
    };
  }, [at, nonce, ...deps]);
  return { data, error, reload: () => setNonce((n) => n + 1) };
}
