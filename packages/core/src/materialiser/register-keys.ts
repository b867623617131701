/**
 * How m_registers stores op ids (materialiser version 7, docs/decisions/0026):
 * as the op log's 16-byte HLC keys (op-log/hlc-key.ts), not the 46-character
 * text. An op's id is its HLC, and the keys' byte order is the HLCs' string
 * order, so SQLite's `>`, `max()` and `=` on the blobs decide what they
 * decided on the text. Code outside this file and the SQL of registers.ts
 * sees op ids as strings only.
 *
 * A `prev` is a set of strings the author says it saw, and any string is
 * allowed (op/op-shape.ts): one that is not an HLC names no op. A prev of
 * HLCs only (every write a command makes) is stored as the concatenation of
 * its sorted, distinct keys; any other prev as the JSON of its sorted,
 * distinct strings (TEXT). Either form is one value per set of strings, and
 * a TEXT never equals a BLOB, so "same prev" is one equality
 * (`writeRecordOf` says how a write's records spell it).
 */
import { HLC_KEY_BYTES, hlcKey, hlcKeyOf, hlcOfKey } from "../op-log/hlc-key.js";
import { prevKey } from "./rules/concurrent-edits.js";

/**
 * A register's tag in m_register_writes (materialiser version 9,
 * docs/decisions/0029): a 53-bit hash of (type, id, field), 8 bytes in a
 * record instead of the register's ~45-byte key. It picks a register's
 * records out of those that saw the same op; it is not unique (a hostile
 * peer can make two registers share one), so every record it matches is
 * confirmed against its op before it counts (registers.ts `writesOf`).
 * cyrb53 (public domain): two 32-bit multiply-xorshift lanes over the
 * UTF-16 code units, a few ns per character, no allocation.
 */
export function registerTag(type: string, id: string, field: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (const part of [type, id, field]) {
    // Each part ends with a 0 unit, so ("ab", "c") and ("a", "bc") hash apart.
    for (let i = 0; i <= part.length; i++) {
      const code = i < part.length ? part.charCodeAt(i) : 0;
      h1 = Math.imul(h1 ^ code, 2654435761);
      h2 = Math.imul(h2 ^ code, 1597334677);
    }
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** The key of an op id or HLC that was validated on its way in (every applied op's). */
export const opKey: (id: string) => Buffer = hlcKey;

/** The op id of a key read from m_registers. */
export const opIdOfKey: (key: Uint8Array) => string = hlcOfKey;

/** The stored form of `prev` (see the file comment). */
export function prevKeyOf(prev: ReadonlyArray<string>): Buffer | string {
  if (prev.length === 1) return hlcKeyOf(prev[0]) ?? prevKey(prev); // a command's write after one head
  const keys: Array<Buffer> = [];
  for (const id of prev) {
    const key = hlcKeyOf(id);
    if (key === undefined) return prevKey(prev);
    keys.push(key);
  }
  keys.sort((a, b) => Buffer.compare(a, b));
  return Buffer.concat(keys.filter((key, i) => i === 0 || !key.equals(keys[i - 1] as Buffer)));
}

/**
 * The rows of a write's records (schema.ts, m_register_writes): `seen`, one
 * value per distinct entry of its prev, lowest first (an HLC's key, else
 * the string; X'' alone for an empty prev), and `firstKey`, the prev key the
 * first row carries (null when the prev is exactly one HLC, the first row's
 * `seen`). `key` is the prev's stored key (`prevKeyOf`); `top` the highest
 * key among the HLCs it lists, undefined when it lists none (only an HLC
 * can name an op, so only those count towards a register's seen_max).
 */
export function writeRecordOf(prev: ReadonlyArray<string>): WriteRecord {
  const key = prevKeyOf(prev);
  if (typeof key === "string") {
    const seen = (JSON.parse(key) as Array<string>).map((id) => hlcKeyOf(id) ?? id);
    let top: Buffer | undefined;
    for (const s of seen) if (typeof s !== "string" && (top === undefined || Buffer.compare(s, top) > 0)) top = s;
    return { key, seen, firstKey: key, top };
  }
  if (key.length === HLC_KEY_BYTES) return { key, seen: [key], firstKey: null, top: key };
  if (key.length === 0) return { key, seen: [key], firstKey: key, top: undefined };
  const seen: Array<Buffer> = [];
  for (let at = 0; at < key.length; at += HLC_KEY_BYTES) seen.push(key.subarray(at, at + HLC_KEY_BYTES));
  return { key, seen, firstKey: key, top: seen[seen.length - 1] };
}

export interface WriteRecord {
  readonly key: Buffer | string;
  readonly seen: ReadonlyArray<Buffer | string>;
  readonly firstKey: Buffer | string | null;
  readonly top: Buffer | undefined;
}

/** A register's unseen writes as stored: their keys, in order, concatenated. */
export function keysOfIds(ids: ReadonlyArray<string>): Buffer {
  return Buffer.concat(ids.map(opKey));
}

/** The op ids of concatenated keys (NULL and empty: none). */
export function idsOfKeys(keys: Buffer | null | undefined): Array<string> {
  const ids: Array<string> = [];
  if (keys == null) return ids;
  if (keys.length % HLC_KEY_BYTES !== 0) throw new Error(`qc defect: ${keys.length} bytes is not a list of ${HLC_KEY_BYTES}-byte keys`);
  for (let at = 0; at < keys.length; at += HLC_KEY_BYTES) ids.push(opIdOfKey(keys.subarray(at, at + HLC_KEY_BYTES)));
  return ids;
}
