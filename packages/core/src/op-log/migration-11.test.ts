/**
 * Migration 11 (schema.ts, docs/decisions/0031) on a file written by the
 * schema-10 code: fixtures/schema-10.sqlite.gz was made at commit a899848
 * (main before migration 11) by a replica with own ops (non-ASCII names, a
 * move, an undo), two ops of a peer ingested and its first two own ops
 * acked. Every body in it is in the token form. Opening it must leave every
 * stored row as it was and read every op byte for byte as before, keep the
 * outbox, and store the ops that come after in the envelope form.
 */
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { canonicalJson } from "../op/canonical.js";
import * as Either from "effect/Either";
import { decodeOp } from "../op/op-schema.js";
import { openReplica } from "../replica.js";
import { copyFixture as copyGzFixture, expectMigratedFile, expectOutboxKeptAt, waitingOwnOps } from "../testing/migration-checks.js";
import { makeTempDir, type TempDir } from "../testing/temp-dir.js";
import { hlcOfKey } from "./hlc-key.js";
import { allStoredJson } from "./ops-store.js";

let dir: TempDir;
beforeEach(() => {
  dir = makeTempDir("qc-migration-11-");
});
afterEach(() => dir.remove());

const copyFixture = (): string => copyGzFixture(new URL("./fixtures/schema-10.sqlite.gz", import.meta.url), dir.path("schema-10.sqlite"));
/** The first character of an envelope-form body (op-body.ts). */
const ENVELOPE_MARK = "\x09";

/** Every row's stored body, by op id. */
function storedBodies(path: string): Map<string, string> {
  const db = new Database(path, { readonly: true });
  try {
    const rows = db.prepare("SELECT hlc, body FROM ops").raw().all() as Array<[Buffer, string]>;
    return new Map(rows.map(([key, body]) => [hlcOfKey(key), body]));
  } finally {
    db.close();
  }
}

function readSchema10(path: string): { rows: ReturnType<typeof allStoredJson>; outbox: Array<string> } {
  const db = new Database(path, { readonly: true });
  try {
    expect(db.prepare("SELECT max(version) FROM schema_migrations").pluck().get()).toBe(10);
    return { rows: allStoredJson(db), outbox: waitingOwnOps(db) };
  } finally {
    db.close();
  }
}

describe("migration 11 on a schema-10 file", () => {
  it("reads every op byte for byte as before without touching a stored row, and keeps the outbox", () => {
    const path = copyFixture();
    const before = readSchema10(path);
    const bodiesBefore = storedBodies(path);
    expect(before.rows.length).toBe(13);
    expect(before.outbox.length).toBe(9);
    expect(before.rows.some((r) => /[^\x20-\x7e]/.test(r.op))).toBe(true);
    expect(before.rows.some((r) => r.op.includes('"undoes":'))).toBe(true);
    expect([...bodiesBefore.values()].some((b) => b.startsWith(ENVELOPE_MARK))).toBe(false);
    // What the schema-10 code stored is a valid op in canonical JSON, so "as before" is the op itself.
    for (const row of before.rows) expect(canonicalJson(Either.getOrThrow(decodeOp(JSON.parse(row.op))))).toBe(row.op);

    expectOutboxKeptAt(path, before.outbox);
    expectMigratedFile(path, before.rows, (db) => {
      expect(db.pragma("user_version", { simple: true })).toBe(11);
      expect(db.prepare("PRAGMA integrity_check").pluck().get()).toBe("ok");
    });
    expect(storedBodies(path)).toEqual(bodiesBefore);
  });

  it("stores the ops after it in the envelope form, beside the old rows, and hands each out exactly", () => {
    const path = copyFixture();
    const replica = openReplica(path, { actor: "ana" });
    let renamed: string;
    try {
      const code = replica.read.entities("code").find((c) => c.fields["name"] === "Glück")!.id;
      replica.commands.rename("code", code, "Große Freude");
      renamed = replica.read.opsSince(0, 1_000).at(-1)!.op.id;
      expect(replica.read.entity("code", code)?.fields["name"]).toBe("Große Freude");
      expect(replica.read.verify({ full: true })).toEqual({ ok: true });
    } finally {
      replica.close();
    }
    const bodies = storedBodies(path);
    expect(bodies.size).toBe(14);
    expect(bodies.get(renamed)?.startsWith(ENVELOPE_MARK)).toBe(true);
    const db = new Database(path, { readonly: true });
    try {
      const op = allStoredJson(db).find((r) => r.op.includes(renamed))!.op;
      expect(canonicalJson(Either.getOrThrow(decodeOp(JSON.parse(op))))).toBe(op);
      expect(JSON.parse(op)).toMatchObject({ id: renamed, kind: "set", body: { field: "name", value: "Große Freude" } });
    } finally {
      db.close();
    }
  });
});
