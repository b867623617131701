/**
 * The single-syncer rule (docs/design.md §9): one process at a time runs the sync
 * engine for a project file. The lease is a row of the file's local settings
 * taken in one immediate transaction (`replica.local.update`), so two
 * processes never both hold it. It names the holder's pid and host; a lease
 * whose process is gone (crashed, killed) is free, so a crash never blocks
 * sync for good, and another process takes over when the holder exits.
 * The holder also publishes its status there for `qc status` elsewhere.
 */
import { hostname } from "node:os";
import type { JsonValue, Replica } from "@qc/core";

export interface LeaseHolder {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
}

const LEASE_KEY = "sync_lease";
const STATUS_KEY = "sync_status";

/** Takes the lease if it is free or stale; returns the holder afterwards. */
export function acquireLease(replica: Replica): { readonly ours: boolean; readonly holder: LeaseHolder } {
  return takeLease(replica, LEASE_KEY);
}

export function releaseLease(replica: Replica): void {
  dropLease(replica, LEASE_KEY);
  replica.local.update(STATUS_KEY, (current) => {
    const publisher = asHolder(current);
    return publisher !== undefined && isMe(publisher) ? undefined : current;
  });
}

/**
 * The same rule for any one-process-at-a-time job, by its key in the local
 * settings (idle maintenance uses one): taken in one immediate transaction,
 * free again when the holder drops it or its process is gone.
 */
export function takeLease(replica: Replica, key: string): { readonly ours: boolean; readonly holder: LeaseHolder } {
  const me: LeaseHolder = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  const stored = replica.local.update(key, (current) => {
    const holder = asHolder(current);
    return holder !== undefined && isAlive(holder) && !isMe(holder) ? current : toJson(me);
  });
  const holder = asHolder(stored) ?? me;
  return { ours: isMe(holder), holder };
}

export function dropLease(replica: Replica, key: string): void {
  replica.local.update(key, (current) => {
    const holder = asHolder(current);
    return holder !== undefined && isMe(holder) ? undefined : current;
  });
}

/** The live holder other than this process, if any. */
export function otherHolder(replica: Replica): LeaseHolder | undefined {
  const holder = asHolder(replica.local.get(LEASE_KEY));
  return holder !== undefined && isAlive(holder) && !isMe(holder) ? holder : undefined;
}

export function publishStatus(replica: Replica, status: Readonly<Record<string, JsonValue>>): void {
  replica.local.set(STATUS_KEY, { ...status, pid: process.pid, host: hostname(), at: new Date().toISOString() });
}

export function readPublishedStatus(replica: Replica): Readonly<Record<string, JsonValue>> | undefined {
  const value = replica.local.get(STATUS_KEY);
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Readonly<Record<string, JsonValue>>) : undefined;
}

function isMe(holder: LeaseHolder): boolean {
  return holder.pid === process.pid && holder.host === hostname();
}

function isAlive(holder: LeaseHolder): boolean {
  if (holder.host !== hostname()) return true; // another machine's process: cannot check, assume alive
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM"; // alive, but another user's
  }
}

function asHolder(value: JsonValue | undefined): LeaseHolder | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const { pid, host, since } = value as Record<string, JsonValue>;
  return typeof pid === "number" && typeof host === "string" ? { pid, host, since: typeof since === "string" ? since : "" } : undefined;
}

function toJson(holder: LeaseHolder): JsonValue {
  return { pid: holder.pid, host: holder.host, since: holder.since };
}
