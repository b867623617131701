/**
 * Client-generated entity ids (docs/design.md §3): UUID v7 layout — 48 bits of
 * Unix milliseconds, version 7, variant 10, the rest random — so ids made on
 * different replicas never clash and sort roughly by creation time.
 */
import { randomBytes } from "@noble/hashes/utils.js";

export function newEntityId(nowMs: number = Date.now(), random: (n: number) => Uint8Array = randomBytes): string {
  const bytes = random(16);
  let ms = Math.max(0, Math.floor(nowMs));
  for (let i = 5; i >= 0; i--) {
    bytes[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x70;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
