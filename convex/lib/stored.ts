/**
 * The stored form of an op and its decoder: `toStored(op)` splits an accepted
 * op into the `ops` table's columns, `fromStored(doc)` puts it back together.
 * `fromStored(toStored(op))` has the same canonical JSON as `op`, for v1 ops
 * and for future ops (newer `v`, unknown kind, extra fields) alike: whatever
 * does not fit a column goes, as canonical JSON, into `extra`.
 */
import { canonicalJson } from "@qc/core/op";
import type { Doc } from "../_generated/dataModel.js";

/** The envelope fields every stored op has (checked by `lib/check.ts`). */
export interface Envelope {
  readonly id: string;
  readonly hlc: string;
  readonly project: string;
  readonly replica: string;
  readonly actor: string;
}

export type StoredFields = Omit<Doc<"ops">, "_id" | "_creationTime" | "seq" | "hash" | "bytes" | "receivedAt">;

const ENVELOPE_KEYS = ["id", "hlc", "project", "replica", "actor"] as const;
/** Convex arrays hold at most 8,192 values; a longer `prev` stays in `extra`. */
const MAX_PREV_COLUMN = 1000;

export function toStored(envelope: Envelope, op: Readonly<Record<string, unknown>>): StoredFields {
  const rest: Record<string, unknown> = { ...op };
  for (const key of ENVELOPE_KEYS) delete rest[key];
  const fields: { -readonly [K in keyof StoredFields]: StoredFields[K] } = {
    id: envelope.id,
    hlc: envelope.hlc,
    project: envelope.project,
    replica: envelope.replica,
    actor: envelope.actor,
  };
  if (typeof rest["v"] === "number") fields.v = take(rest, "v") as number;
  if (typeof rest["kind"] === "string") fields.kind = take(rest, "kind") as string;
  if (isTarget(rest["target"])) fields.target = take(rest, "target") as { type: string; id: string };
  if (isStringArray(rest["prev"]) && (rest["prev"] as unknown[]).length <= MAX_PREV_COLUMN)
    fields.prev = [...(take(rest, "prev") as string[])];
  if ("body" in rest && rest["body"] !== undefined) fields.body = canonicalJson(take(rest, "body"));
  if (Object.keys(rest).length > 0) fields.extra = canonicalJson(rest);
  return fields;
}

export function fromStored(doc: StoredFields): Record<string, unknown> {
  const op: Record<string, unknown> = doc.extra === undefined ? {} : (JSON.parse(doc.extra) as Record<string, unknown>);
  for (const key of ENVELOPE_KEYS) op[key] = doc[key];
  if (doc.v !== undefined) op["v"] = doc.v;
  if (doc.kind !== undefined) op["kind"] = doc.kind;
  if (doc.target !== undefined) op["target"] = { type: doc.target.type, id: doc.target.id };
  if (doc.prev !== undefined) op["prev"] = [...doc.prev];
  if (doc.body !== undefined) op["body"] = JSON.parse(doc.body) as unknown;
  return op;
}

function take(record: Record<string, unknown>, key: string): unknown {
  const value = record[key];
  delete record[key];
  return value;
}

function isTarget(value: unknown): boolean {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  const target = value as Record<string, unknown>;
  return keys.length === 2 && typeof target["type"] === "string" && typeof target["id"] === "string";
}

function isStringArray(value: unknown): boolean {
  return Array.isArray(value) && value.every((item) => typeof item === "string");
}
