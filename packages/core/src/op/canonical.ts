/**
 * Canonical encoding of ops for hashing and size limits (docs/design.md §3).
 *
 * `canonicalJson` is JSON with the keys of every object sorted (by UTF-16
 * code units, `Array.prototype.sort`'s default) and no whitespace. Two values
 * that are equal as JSON data encode to the same string whatever their key
 * order. Values JSON cannot carry faithfully (undefined, NaN, Infinity,
 * functions, symbols, bigints, class instances, cycles) are refused with a
 * `CanonicalJsonError` instead of being silently dropped or changed, because
 * a silently changed op would hash differently on another replica.
 *
 * Pure and synchronous (SHA-256 from @noble/hashes): safe in Convex functions.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";
import * as Data from "effect/Data";
import type { Op } from "./op.js";

export class CanonicalJsonError extends Data.TaggedError("CanonicalJsonError")<{
  /** Where the bad value is, e.g. `body.fields.start` ("" for the value itself). */
  readonly path: string;
  readonly reason: string;
}> {
  override get message(): string {
    return `cannot encode as canonical JSON${this.path === "" ? "" : ` at ${this.path}`}: ${this.reason}`;
  }
}

export function canonicalJson(value: unknown): string {
  return encodeValue(value, "", new Set());
}

/** Hex SHA-256 of `canonicalJson(op)`: the op's content hash. */
export function hashOp(op: Op): string {
  return hashJson(op);
}

/** Hex SHA-256 of `canonicalJson(value)`; for ops that are kept but not decoded ("future" ops). */
export function hashJson(value: unknown): string {
  return bytesToHex(sha256(utf8ToBytes(canonicalJson(value))));
}

/** UTF-8 length of the canonical JSON of the op's body (limit: MAX_BODY_BYTES). */
export function bodyBytes(op: Pick<Op, "body">): number {
  return utf8Length(canonicalJson(op.body));
}

/** UTF-8 byte length of a well-formed string (lone surrogates count as U+FFFD). */
export function utf8Length(s: string): number {
  let bytes = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && isLowSurrogate(s.charCodeAt(i + 1))) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

function encodeValue(value: unknown, path: string, ancestors: Set<object>): string {
  switch (typeof value) {
    case "string":
    case "boolean":
      return JSON.stringify(value);
    case "number":
      if (!Number.isFinite(value)) throw new CanonicalJsonError({ path, reason: `${value} is not a JSON number` });
      return JSON.stringify(value);
    case "object":
      if (value === null) return "null";
      return encodeContainer(value, path, ancestors);
    default:
      throw new CanonicalJsonError({ path, reason: `${typeof value} has no JSON encoding` });
  }
}

function encodeContainer(value: object, path: string, ancestors: Set<object>): string {
  if (ancestors.has(value)) throw new CanonicalJsonError({ path, reason: "the value contains itself (a cycle)" });
  ancestors.add(value);
  try {
    if (Array.isArray(value)) return encodeArray(value, path, ancestors);
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      const name = (value as { constructor?: { name?: string } }).constructor?.name ?? "unknown";
      throw new CanonicalJsonError({ path, reason: `a ${name} instance is not plain JSON data` });
    }
    return encodeObject(value as Record<string, unknown>, path, ancestors);
  } finally {
    ancestors.delete(value);
  }
}

function encodeArray(items: ReadonlyArray<unknown>, path: string, ancestors: Set<object>): string {
  const parts: Array<string> = [];
  for (let i = 0; i < items.length; i++) parts.push(encodeValue(items[i], `${path}[${i}]`, ancestors));
  return `[${parts.join(",")}]`;
}

function encodeObject(record: Record<string, unknown>, path: string, ancestors: Set<object>): string {
  const parts: Array<string> = [];
  for (const key of Object.keys(record).sort()) {
    const child = path === "" ? key : `${path}.${key}`;
    parts.push(`${JSON.stringify(key)}:${encodeValue(record[key], child, ancestors)}`);
  }
  return `{${parts.join(",")}}`;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}
