/**
 * The op log's key for an HLC (schema version 8, docs/decisions/0017): 16
 * bytes, 6 of wall milliseconds, 2 of counter and 8 of replica, all
 * big-endian, so SQLite's memcmp order of the blobs is the HLCs' string
 * order (hlc.ts: every part has a fixed width). An op's id equals its HLC,
 * so this one key serves lookups by id and ranges in HLC order, in 16 bytes
 * where the text took 46.
 */
import { isoOfWallMs, wallMsOfIso } from "../hlc.js";
import { OpLogError } from "./errors.js";

export const HLC_KEY_BYTES = 16;

/** Above every key (longer, and all 0xff): the open upper end of a range. */
export const HLC_KEY_ABOVE_ALL: Buffer = Buffer.alloc(HLC_KEY_BYTES + 1, 0xff);
/** Below every key: the open lower end of a range. */
export const HLC_KEY_BELOW_ALL: Buffer = Buffer.alloc(0);

/**
 * The key of an HLC the caller knows is valid (a stored or decoded op's, or
 * one `hlcKeyOf` checked): read by position, the format's widths are fixed.
 */
export function hlcKey(hlc: string): Buffer {
  return keyAt(hlc, wallMsOfIso(hlc) as number);
}

/** The key of `hlc`, whose time part is `ms` (0 to MAX_WALL_MS). */
function keyAt(hlc: string, ms: number): Buffer {
  const key = Buffer.allocUnsafe(HLC_KEY_BYTES);
  key.writeUIntBE(ms, 0, 6);
  key.writeUInt16BE(Number.parseInt(hlc.slice(25, 29), 16), 6);
  key.write(hlc.slice(30), 8, "hex");
  return key;
}

/**
 * The key of `id` if it is a valid HLC (so possibly a stored op's id), else
 * undefined: what `isHlc` takes (the shape, then a real instant, which
 * refuses an impossible date such as Feb 30), at a fraction of its cost on
 * ingest's per-op lookups.
 */
export function hlcKeyOf(id: unknown): Buffer | undefined {
  if (typeof id !== "string" || !HLC_SHAPE.test(id)) return undefined;
  const ms = wallMsOfIso(id);
  return ms === undefined ? undefined : keyAt(id, ms);
}

const HLC_SHAPE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z-[0-9a-f]{4}-[0-9a-f]{16}$/;

/** The HLC string of a key (hlc.ts's format: ISO time, 4 hex of counter, 16 hex of replica). */
export function hlcOfKey(key: Uint8Array): string {
  const bytes = Buffer.from(key.buffer, key.byteOffset, key.byteLength);
  if (bytes.length !== HLC_KEY_BYTES) throw new Error(`qc defect: an HLC key is ${HLC_KEY_BYTES} bytes, got ${bytes.length}`);
  const counter = bytes.readUInt16BE(6).toString(16).padStart(4, "0");
  return `${isoOfWallMs(bytes.readUIntBE(0, 6))}-${counter}-${bytes.toString("hex", 8)}`;
}

/** The replica part of a key, as SQLite compares it: `substr(hlc, 9)` (1-based). */
export function replicaKey(replica: string): Buffer {
  return Buffer.from(replica, "hex");
}

/**
 * A range bound as a key, from what callers pass: an HLC, `<ISO time>-`
 * (history's "at or after": below every HLC of that millisecond), or ""
 * (below every HLC, as the empty string sorts). Compared with `>=`/`<=` it selects the same ops the string
 * compared with the HLC strings did.
 */
export function hlcBoundKey(bound: string): Buffer {
  if (bound === "") return HLC_KEY_BELOW_ALL;
  const key = hlcKeyOf(bound) ?? (bound.endsWith("Z-") ? hlcKeyOf(`${bound}0000-0000000000000000`) : undefined);
  if (key !== undefined) return key;
  throw new OpLogError({
    reason: "invalid-time",
    message: `cannot read ${JSON.stringify(bound)} as a position in the log: expected an HLC`,
  });
}
