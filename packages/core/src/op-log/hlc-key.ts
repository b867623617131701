/**
 * The op log's key for an HLC (schema version 8, docs/decisions/0017): 16
 * bytes, 6 of wall milliseconds, 2 of counter and 8 of replica, all
 * big-endian, so SQLite's memcmp order of the blobs is the HLCs' string
 * order (hlc.ts: every part has a fixed width). An op's id equals its HLC,
 * so this one key serves lookups by id and ranges in HLC order, in 16 bytes
 * where the text took 46.
 */
import { formatHlc, isHlc, parseHlc } from "../hlc.js";
import { OpLogError } from "./errors.js";

export const HLC_KEY_BYTES = 16;

/** Above every key (longer, and all 0xff): the open upper end of a range. */
export const HLC_KEY_ABOVE_ALL: Buffer = Buffer.alloc(HLC_KEY_BYTES + 1, 0xff);
/** Below every key: the open lower end of a range. */
export const HLC_KEY_BELOW_ALL: Buffer = Buffer.alloc(0);

/** The key of a valid HLC (throws `HlcParseError` otherwise). */
export function hlcKey(hlc: string): Buffer {
  const { wallMs, counter, replica } = parseHlc(hlc);
  const key = Buffer.allocUnsafe(HLC_KEY_BYTES);
  key.writeUIntBE(wallMs, 0, 6);
  key.writeUInt16BE(counter, 6);
  key.write(replica, 8, "hex");
  return key;
}

/** The key of `id` if it is a valid HLC (so possibly a stored op's id), else undefined. */
export function hlcKeyOf(id: unknown): Buffer | undefined {
  return isHlc(id) ? hlcKey(id) : undefined;
}

/** The HLC string of a key. */
export function hlcOfKey(key: Uint8Array): string {
  const bytes = Buffer.from(key.buffer, key.byteOffset, key.byteLength);
  if (bytes.length !== HLC_KEY_BYTES) throw new Error(`qc defect: an HLC key is ${HLC_KEY_BYTES} bytes, got ${bytes.length}`);
  return formatHlc({ wallMs: bytes.readUIntBE(0, 6), counter: bytes.readUInt16BE(6), replica: bytes.toString("hex", 8) });
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
  throw new OpLogError({ reason: "invalid-time", message: `cannot read ${JSON.stringify(bound)} as a position in the log: expected an HLC` });
}
