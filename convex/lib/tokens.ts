/**
 * Member tokens: 256 random bits, handed out once, stored only as a sha256.
 *
 * `crypto.getRandomValues` is Web Crypto, which the Convex runtime (a strong
 * PRNG seeded per function run), Node and edge-runtime all provide.
 */
import { hashJson } from "@qc/core/op";

const TOKEN_BYTES = 32;
const STREAM_BYTES = 16;

/** A fresh member token (64 lowercase hex chars). */
export function newToken(): string {
  return randomHex(TOKEN_BYTES);
}

/** A fresh stream id (32 lowercase hex chars). */
export function newStreamId(): string {
  return randomHex(STREAM_BYTES);
}

/** The stored form of a token: hex sha256 of its canonical JSON (core's one hasher). */
export function hashToken(token: string): string {
  return hashJson(token);
}

function randomHex(bytes: number): string {
  return toHex(crypto.getRandomValues(new Uint8Array(bytes)));
}

function toHex(bytes: Uint8Array): string {
  let hex = "";
  for (const byte of bytes) hex += byte.toString(16).padStart(2, "0");
  return hex;
}
