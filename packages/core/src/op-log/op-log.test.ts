import { afterEach, describe, expect, it } from "vitest";
import { insertOps } from "./ops-table.js";
import { MAX_BODY_BYTES } from "../op/op.js";
import { listQuarantine } from "./quarantine.js";
import { countRows, LOCAL_REPLICA, localOps, openTestLog, remoteOps, T0, TEST_PROJECT } from "../testing/op-log-db.js";
import { makeTempDir, type TempDir } from "../testing/temp-dir.js";
import { QC_APPLICATION_ID, SCHEMA_VERSION } from "./schema.js";
import { openDb } from "./open-db.js";
import Database from "better-sqlite3";
import { allStoredJson, opsAfter } from "./ops-store.js";
import { writeLegacyLog } from "../testing/legacy-log.js";

const identity = { deployment: "memory:test", project: TEST_PROJECT, stream: "stream-1" };

let dir: TempDir | undefined;
afterEach(() => {
  dir?.remove();
  dir = undefined;
});

describe("ops is append-only", () => {
  it("refuses UPDATE and DELETE on ops rows", () => {
    const log = openTestLog();
    log.ingest([remoteOps()()]);
    expect(() => log.db.prepare("UPDATE ops SET actor = 'mallory'").run()).toThrow(/append-only: UPDATE refused/);
    expect(() => log.db.prepare("DELETE FROM ops").run()).toThrow(/append-only: DELETE refused/);
    expect(countRows(log.db, "ops")).toBe(1);
  });

  it("a second insert of a stored id throws and leaves ops and the outbox as they were", () => {
    const log = openTestLog();
    const op = localOps()();
    log.append([op]);
    const encoded = { json: "{}" };
    const insertAgain = () => log.transact(() => insertOps(log.db, [op], () => encoded));
    expect(insertAgain).toThrow(/UNIQUE constraint failed: ops\.hlc/);
    expect(countRows(log.db, "ops")).toBe(1);
    expect(log.outbox(10).map((o) => o.id)).toEqual([op.id]);
  });
});

describe("one transaction per write", () => {
  it("a materialiser failure mid-apply leaves no op, quarantine row, ack or cursor behind", () => {
    const log = openTestLog(":memory:", () => {
      throw new Error("materialiser crashed");
    });
    const op = remoteOps()();
    expect(() => log.ingestPage([op, { junk: true }], { identity, seq: 2 })).toThrow("materialiser crashed");
    expect(countRows(log.db, "ops")).toBe(0);
    expect(countRows(log.db, "quarantine")).toBe(0);
    expect(log.syncCursor()).toBeUndefined();
    expect(() => log.append([localOps()()])).toThrow("materialiser crashed");
    expect(countRows(log.db, "ops")).toBe(0);
  });

  it("a crash in the middle of a batch apply (after some ops were applied) rolls back all of them", () => {
    let applied = 0;
    const log = openTestLog(":memory:", (db, ops) => {
      for (const op of ops) {
        db.prepare("INSERT INTO meta (key, value) VALUES (?, 'x')").run(`applied:${op.id}`);
        if (++applied === 2) throw new Error("crash after the second op");
      }
    });
    const make = remoteOps();
    expect(() => log.ingest([make(), make(), make()])).toThrow("crash after the second op");
    expect(countRows(log.db, "ops")).toBe(0);
    expect(countRows(log.db, "meta")).toBe(2); // only schema_version and replica
  });

  it("onLocalOps fires after a commit, never after a rolled-back append", () => {
    let failing = true;
    const log = openTestLog(":memory:", () => {
      if (failing) throw new Error("boom");
    });
    let calls = 0;
    log.onLocalOps(() => calls++);
    expect(() => log.append([localOps()()])).toThrow("boom");
    expect(calls).toBe(0);
    failing = false;
    log.append([localOps()()]);
    expect(calls).toBe(1);
  });
});

describe("ingest quarantines bad ops with a reason and applies the rest", () => {
  it("gives each kind of bad op its reason", () => {
    const log = openTestLog();
    const make = remoteOps();
    const good = make();
    const base = make();
    const far = remoteOps("cccccccccccccccc")({ hlc: `${new Date(T0 + 60_000 + 10 * 60_000).toISOString()}-0000-cccccccccccccccc` });
    const huge = { ...make({ kind: "text", target: { type: "source", id: "s1" }, body: { field: "content", update: "AAA=" } }) };
    const oversized = { ...huge, body: { field: "content", update: "A".repeat(MAX_BODY_BYTES + 4) } };
    const bad: ReadonlyArray<[unknown, string, RegExp]> = [
      ["not an op", "invalid", /expected an op object/],
      [{ ...base, target: { type: 42, id: "x" } }, "invalid", /target/],
      [{ ...base, kind: "teleport" }, "unknown-kind", /does not know/],
      [{ ...base, v: 2 }, "newer-version", /newer op envelope/],
      [far, "clock-ahead", /10\.0 minutes ahead/],
      [oversized, "invalid", /more than the 262144 allowed/],
      [{ ...base, id: "something-else" }, "invalid", /must equal hlc/],
      [{ ...base, project: "other-project" }, "wrong-project", /belongs to project other-project/],
    ];
    const result = log.ingest([...bad.map(([raw]) => raw), good]);
    expect(result).toEqual({ applied: 1, duplicates: 0, quarantined: bad.length });
    const held = listQuarantine(log.db);
    expect(held.map((q) => q.reason)).toEqual(bad.map(([, reason]) => reason));
    held.forEach((q, i) => expect(q.detail).toMatch(bad[i]![2]));
    expect(countRows(log.db, "ops")).toBe(1);
  });

  it("keeps the first op of a reused id and quarantines the other content", () => {
    const log = openTestLog();
    const op = remoteOps()({ kind: "set", target: { type: "code", id: "c1" }, body: { field: "name", value: "Hope" } });
    const clash = { ...op, body: { field: "name", value: "Despair" } };
    expect(log.ingest([op, clash])).toEqual({ applied: 1, duplicates: 0, quarantined: 1 });
    expect(log.ingest([clash, op])).toEqual({ applied: 0, duplicates: 1, quarantined: 1 });
    expect(listQuarantine(log.db)).toHaveLength(1);
    expect(listQuarantine(log.db)[0]!.reason).toBe("id-reused");
    const [stored] = allStoredJson(log.db);
    expect(stored?.op).toContain("Hope");
  });

  it("counts duplicates and does not grow the quarantine on replay", () => {
    const log = openTestLog();
    const make = remoteOps();
    const batch = [make(), make(), { nonsense: 1 }];
    expect(log.ingest(batch)).toEqual({ applied: 2, duplicates: 0, quarantined: 1 });
    expect(log.ingest(batch)).toEqual({ applied: 0, duplicates: 2, quarantined: 1 });
    expect(countRows(log.db, "quarantine")).toBe(1);
  });

  it("releases a clock-ahead op once the local clock has caught up", () => {
    const log = openTestLog();
    const ahead = remoteOps()({ hlc: `${new Date(log.now.ms + 6 * 60_000).toISOString()}-0000-bbbbbbbbbbbbbbbb` });
    expect(log.ingest([ahead]).quarantined).toBe(1);
    log.now.ms += 2 * 60_000;
    log.ingest([]);
    expect(countRows(log.db, "ops")).toBe(1);
    expect(listQuarantine(log.db)).toHaveLength(0);
    expect(countRows(log.db, "quarantine")).toBe(1); // kept, marked released
  });
});

describe("sync surface", () => {
  it("ingestPage stores ops and cursor together, acks own ops, never moves the seq back", () => {
    const log = openTestLog();
    const mine = localOps()();
    log.append([mine]);
    expect(log.outboxSize()).toBe(1);
    const theirs = remoteOps()();
    expect(log.ingestPage([mine, theirs], { identity, seq: 7 })).toEqual({ applied: 1, duplicates: 1, quarantined: 0 });
    expect(log.syncCursor()).toEqual({ identity, seq: 7 });
    expect(log.outboxSize()).toBe(0);
    log.ingestPage([], { identity, seq: 3 });
    expect(log.syncCursor()?.seq).toBe(7);
  });

  it("refuses a cursor of another stream or project, with nothing written", () => {
    const log = openTestLog();
    log.ingestPage([], { identity, seq: 1 });
    const op = remoteOps()();
    expect(() => log.ingestPage([op], { identity: { ...identity, stream: "stream-2" }, seq: 2 })).toThrow(/follows stream stream-1/);
    expect(() => log.ingestPage([op], { identity: { ...identity, project: "p9" }, seq: 2 })).toThrow(/for project p9/);
    expect(countRows(log.db, "ops")).toBe(0);
    expect(log.syncCursor()?.seq).toBe(1);
  });

  it("outbox lists own unacked ops oldest first; markAcked ignores unknown ids; resetSync forgets acks and cursor", () => {
    const log = openTestLog();
    const make = localOps();
    const [a, b, c] = [make(), make(), make()];
    log.append([c, a, b]);
    log.ingest([remoteOps()()]);
    expect(log.outbox(10).map((o) => o.id)).toEqual([a.id, b.id, c.id]);
    expect(log.outbox(2)).toHaveLength(2);
    log.markAcked([a.id, "no-such-op"]);
    expect(log.outbox(10).map((o) => o.id)).toEqual([b.id, c.id]);
    expect(ackedThrough(log.db)).toBe(a.id); // a prefix: the position says it, no row
    expect(countRows(log.db, "acks")).toBe(0);
    log.ingestPage([], { identity, seq: 4 });
    log.resetSync();
    expect(log.outboxSize()).toBe(3);
    expect(log.syncCursor()).toBeUndefined();
  });
});

describe("schema", () => {
  it("records its version and refuses a file from a newer qc", () => {
    dir = makeTempDir();
    const path = dir.path("replica.sqlite");
    const log = openTestLog(path);
    expect(log.db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get()).toEqual({ value: String(SCHEMA_VERSION) });
    expect(log.db.pragma("journal_mode", { simple: true })).toBe("wal");
    log.db.prepare("INSERT INTO schema_migrations (version, applied_at) VALUES (99, 'x')").run();
    log.db.close();
    expect(() => openTestLog(path)).toThrow(/schema version 99, newer than this qc/);
  });

  it("gives a version-3 file the op_receipts table of version 5, its ops untouched", () => {
    dir = makeTempDir();
    const path = dir.path("replica.sqlite");
    const op = remoteOps()({ kind: "set", target: { type: "code", id: "c1" }, body: { field: "name", value: "Hope" } });
    writeLegacyLog(path, 3, { replica: LOCAL_REPLICA }, [op]);
    markQc(path);
    const reopened = openTestLog(path);
    const tables = reopened.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'op_receipts'").pluck().all();
    expect(tables).toEqual(["op_receipts"]);
    expect(reopened.db.prepare("SELECT max(version) FROM schema_migrations").pluck().get()).toBe(SCHEMA_VERSION);
    expect(reopened.db.prepare("SELECT count(*) FROM ops").pluck().get()).toBe(1);
    reopened.db.close();
  });
});

describe("encoding", () => {
  it("contentHash of encodeOp's JSON is hashOp's (native SHA-256 of the same canonical JSON)", async () => {
    const { encodeOp, hashOp, canonicalJson, contentHash } = await import("./op-codec.js");
    const op = remoteOps()({ kind: "set", target: { type: "code", id: "c1" }, body: { field: "name", value: "Ünï 😀" } });
    expect(encodeOp(op)).toEqual({ json: canonicalJson(op) });
    expect(contentHash(encodeOp(op).json)).toBe(hashOp(op));
  });

  it("classifyAndEncode gives encodeOp's JSON, whose contentHash is hashOp's (fast path and schema path), lone surrogates included", async () => {
    const { classifyAndEncode, contentHash, encodeOp, hashOp } = await import("./op-codec.js");
    const make = remoteOps();
    for (const name of ["Ünï 😀", "a\ud800b", "\udfff", "x"]) {
      const op = make({ kind: "set", target: { type: "code", id: "c1" }, body: { field: "name", value: name } });
      for (const raw of [op, JSON.parse(JSON.stringify(op)) as unknown, Object.assign(Object.create(null) as object, op)]) {
        const { classification, encoded } = classifyAndEncode(raw);
        expect(classification._tag).toBe("valid");
        expect(encoded).toEqual(encodeOp(op));
        expect(contentHash(encoded?.json ?? "")).toBe(hashOp(op));
      }
    }
  });
});

describe("ingest looks up stored ops per batch", () => {
  it("a batch mixing new ops, replays, an id reuse and duplicates inside the batch gets the per-op verdicts", () => {
    const log = openTestLog();
    const make = remoteOps();
    const [a, b, c] = [make(), make(), make()];
    expect(log.ingest([a, b])).toEqual({ applied: 2, duplicates: 0, quarantined: 0 });
    const reused = { ...c, id: b.id, hlc: b.hlc, actor: "mallory" };
    const d = make();
    expect(log.ingest([a, reused, c, c, d, { junk: 1 }])).toEqual({ applied: 2, duplicates: 2, quarantined: 2 });
    expect(
      listQuarantine(log.db)
        .map((q) => q.reason)
        .sort(),
    ).toEqual(["id-reused", "invalid"]);
    expect(countRows(log.db, "ops")).toBe(4);
  });
});

describe("outbox as an acked position", () => {
  it("equals own ops without an ack through appends, partial acks, own ops by ingest and by pull, and resetSync", () => {
    const log = openTestLog();
    const make = localOps();
    const own = [make(), make(), make(), make(), make(), make()];
    const acked = new Set<string>();
    const ack = (ids: ReadonlyArray<string>): void => {
      log.markAcked(ids);
      ids.forEach((id) => acked.add(id));
    };
    const expectOutbox = (): void => {
      const waiting = opsAfter(log.db)
        .filter((op) => op.replica === LOCAL_REPLICA && !acked.has(op.id))
        .map((op) => op.id);
      expect(log.outbox(10).map((o) => o.id)).toEqual(waiting);
      expect(log.outboxSize()).toBe(waiting.length);
    };
    log.append(own.slice(0, 2));
    log.ingest([remoteOps()(), own[3]!]); // an own op arriving by ingest (e.g. from a backup) waits too
    expectOutbox();
    ack([own[0]!.id]);
    log.ingestPage([own[4]!], { identity, seq: 1 }); // acked on arrival from the remote, beyond own[1] that waits
    ack([own[4]!.id]);
    expectOutbox();
    expect(ackedThrough(log.db)).toBe(own[0]!.id);
    expect(countRows(log.db, "acks")).toBe(1); // the one ack the position cannot say
    ack([own[1]!.id, own[3]!.id]); // the gap closes: the position moves past the held ack, which goes
    expectOutbox();
    expect(ackedThrough(log.db)).toBe(own[4]!.id);
    expect(countRows(log.db, "acks")).toBe(0);
    log.ingest([own[2]!]); // an own op below the position, first seen now: it waits
    log.append([own[5]!]);
    expectOutbox();
    expect(log.outbox(10).map((o) => o.id)).toEqual([own[2]!.id, own[5]!.id]);
    ack([own[2]!.id]);
    expectOutbox();
    expect(countRows(log.db, "outbox_behind")).toBe(0);
    log.resetSync();
    acked.clear();
    expectOutbox();
    expect(log.outboxSize()).toBe(6);
  });

  it("ignores acks of other replicas' ops, unknown ids and ids below the position", () => {
    const log = openTestLog();
    const make = localOps();
    const [a, b] = [make(), make()];
    const remote = remoteOps()();
    log.append([a, b]);
    log.ingest([remote]);
    log.markAcked([a.id]);
    log.markAcked([remote.id, a.id, "no-such-op", make().id]);
    expect(log.outbox(10).map((o) => o.id)).toEqual([b.id]);
    expect(countRows(log.db, "acks")).toBe(0);
    expect(ackedThrough(log.db)).toBe(a.id);
  });

  it("is derived when a version-1 file is migrated", () => {
    const dir = makeTempDir();
    try {
      const path = dir.path("v1.sqlite");
      const make = localOps();
      const [a, b] = [make(), make()];
      writeLegacyLog(path, 1, { replica: LOCAL_REPLICA }, [a, b]);
      const legacy = new Database(path);
      legacy.prepare("INSERT INTO acks (id, acked_at) VALUES (?, 'x')").run(a.id);
      legacy.close();
      markQc(path);
      const db = openDb(path, { expect: "new" }); // a bare op log: "new" admits it
      expect(ackedThrough(db)).toBe(a.id);
      expect(countRows(db, "acks")).toBe(0);
      db.close();
    } finally {
      dir.remove();
    }
  });
});

function ackedThrough(db: Database.Database): string | undefined {
  return db.prepare("SELECT value FROM meta WHERE key = 'acked_through'").pluck().get() as string | undefined;
}

/** A bare op log (no project) is admitted as "new" only with qc's mark, which versions before 4 did not set. */
function markQc(path: string): void {
  const db = new Database(path);
  db.pragma(`application_id = ${QC_APPLICATION_ID}`);
  db.close();
}
