/**
 * Shared fixtures for the convex-test suites (not a Convex module: the CLI
 * skips file names with more than one dot, and vitest only runs *.test.ts).
 */
import { formatHlc, type Op, type QcErrorCode } from "@qc/core/op";
import { makeOpBuilder, nearNow } from "@qc/core/testing/pure";
import { convexTest } from "convex-test";
import { ConvexError } from "convex/values";
import { expect } from "vitest";
import { api } from "./_generated/api.js";
import schema from "./schema.js";

declare global {
  interface ImportMeta {
    glob(patterns: string | string[]): Record<string, () => Promise<unknown>>;
  }
}

const modules = import.meta.glob(["./**/*.*s", "!./**/*.test.ts", "!./test.setup.ts"]);

export type Backend = ReturnType<typeof makeBackend>;

/** A fresh in-memory deployment that enforces Convex's transaction limits. */
export function makeBackend() {
  return convexTest({ schema, modules, transactionLimits: true });
}

export interface Owner {
  readonly project: string;
  readonly token: string;
  readonly stream: string;
  readonly actor: string;
}

let projectCounter = 0;

/** Creates a project on `t` and returns its owner's credentials. */
export async function createProject(t: Backend, actor = "alice"): Promise<Owner> {
  projectCounter += 1;
  const project = `project-${projectCounter}`;
  const { token, stream } = await t.mutation(api.projects.create, { project, name: `Study ${projectCounter}`, actor });
  return { project, token, stream, actor };
}

export interface OpSpec {
  readonly project: string;
  readonly actor: string;
  readonly replica?: string;
  /** Wall time of the HLC; default BASE_MS. */
  readonly wallMs?: number;
  readonly counter?: number;
  /** Value written by the `set` op. */
  readonly value?: string;
}

export const REPLICA_A = "aaaaaaaaaaaaaaaa";
/** Default HLC wall time: one minute before the suite started, safely in the past. */
export const BASE_MS = nearNow()();
export const REPLICA_B = "bbbbbbbbbbbbbbbb";

/**
 * A valid v1 `set` op renaming a code, built by the one op builder of
 * `@qc/core/testing/pure` without decoding: these suites also build ops the
 * server must refuse (too large, from the future) from the same helpers.
 */
export function makeSetOp(spec: OpSpec): Op {
  const replica = spec.replica ?? REPLICA_A;
  const hlc = formatHlc({ wallMs: spec.wallMs ?? BASE_MS, counter: spec.counter ?? 0, replica });
  const body = { field: "name", value: spec.value ?? "Trust" };
  return makeOpBuilder({ project: spec.project, actor: spec.actor, replica, validate: false })({
    kind: "set",
    hlc,
    target: { type: "code", id: "code-1" },
    body,
  });
}

/**
 * A valid v1 `text` op on a code's memo whose update is as long as `sizeOf`
 * (base64, length a multiple of 4): the suites test sizes, and the decoder
 * takes only real Yjs text updates, so the update is one insert of "A"s of
 * that base64 length (below 20 chars: the empty update).
 */
export function makeTextOp(spec: OpSpec, sizeOf: string): Op {
  const op = makeSetOp(spec);
  const body = { field: "memo", update: memoUpdateOfLength(sizeOf.length) };
  return makeOpBuilder({ project: op.project, actor: op.actor, validate: false })({ kind: "text", hlc: op.hlc, target: op.target, body });
}

function memoUpdateOfLength(chars: number): string {
  const bytes = (chars / 4) * 3;
  // clients, structs, client, clock, info (string, explicit parent), root flag, "memo", length, "A"s, no deletes
  const fixed = [1, 1, 0, 0, 4, 1, 4, 109, 101, 109, 111];
  for (let lengthBytes = 1; lengthBytes <= 3; lengthBytes++) {
    const length = bytes - fixed.length - lengthBytes - 1;
    if (length > 0 && length < 128 ** lengthBytes && length >= (lengthBytes === 1 ? 1 : 128 ** (lengthBytes - 1))) {
      const varint = Array.from({ length: lengthBytes }, (_, i) => ((length >> (7 * i)) & 0x7f) | (i < lengthBytes - 1 ? 0x80 : 0));
      return btoa(`${String.fromCharCode(...fixed, ...varint)}${"A".repeat(length)}\0`);
    }
  }
  return "AAA=";
}

/** `count` valid ops with consecutive HLC counters. */
export function makeSetOps(spec: OpSpec, count: number): Op[] {
  return Array.from({ length: count }, (_, i) => makeSetOp({ ...spec, counter: (spec.counter ?? 0) + i }));
}

/** Asserts that `promise` rejects with ConvexError({ code }) whose message matches `message`. */
export async function expectRefusal(promise: Promise<unknown>, code: QcErrorCode, message?: RegExp): Promise<string> {
  const error: unknown = await promise.then(
    () => expect.fail(`expected a ${code} refusal, but the call succeeded`),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConvexError);
  const data = (error as ConvexError<{ code: string; message: string }>).data;
  expect(data.code).toBe(code);
  if (message !== undefined) expect(data.message).toMatch(message);
  return data.message;
}

/** Every stored op row of `project`, in seq order (read directly, bypassing tokens). */
export async function storedOps(t: Backend, project: string) {
  return await t.run(async (ctx) =>
    ctx.db
      .query("ops")
      .withIndex("by_project_seq", (q) => q.eq("project", project))
      .collect(),
  );
}
