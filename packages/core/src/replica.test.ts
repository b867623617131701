import Database from "better-sqlite3";
import { copyFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { makeOpBuilder } from "./testing/pure/op-builder.js";
import { countRows } from "./testing/op-log-db.js";
import { makeTempDir, type TempDir } from "./testing/temp-dir.js";
import { createReplica, openReplica, type Replica } from "./replica.js";
import { replicaDb } from "./testing/replica-db.js";
import { CACHE_KIB } from "./op-log/open-db.js";

const T = Date.UTC(2026, 10, 25, 12, 0, 0);
let dir: TempDir;
const open: Array<Replica> = [];
afterEach(() => {
  for (const r of open.splice(0)) if (replicaDb(r).open) r.close();
  dir?.remove();
});

function tracked(r: Replica): Replica {
  open.push(r);
  return r;
}

describe("openReplica", () => {
  it("creates a project with a create op carrying its name", () => {
    const r = tracked(createReplica(":memory:", { actor: "alice", projectName: "Interviews 2026" }));
    const [first] = r.sync.opsAfter();
    expect(first).toMatchObject({
      kind: "create",
      target: { type: "project", id: r.project },
      body: { fields: { name: "Interviews 2026" } },
      actor: "alice",
    });
    expect(r.replica).toMatch(/^[0-9a-f]{16}$/);
    expect(r.sync.outboxSize()).toBe(1);
  });

  it("joins an existing project without creating anything", () => {
    const a = tracked(createReplica(":memory:", { actor: "alice" }));
    const b = tracked(createReplica(":memory:", { actor: "bob", project: a.project }));
    expect(b.sync.opsAfter()).toHaveLength(0);
    expect(b.sync.ingest(a.sync.opsAfter())).toEqual({ applied: 1, duplicates: 0, quarantined: 0 });
    expect(b.read.canonicalState()).toBe(a.read.canonicalState());
  });

  it("reopening a file keeps its project and replica, and refuses another project", () => {
    dir = makeTempDir("qc-replica-");
    const path = dir.path("alice.sqlite");
    const first = createReplica(path, { actor: "alice" });
    const { project, replica } = first;
    first.close();
    const again = tracked(openReplica(path, { actor: "alice" }));
    expect([again.project, again.replica]).toEqual([project, replica]);
    again.close();
    expect(() => openReplica(path, { actor: "alice", project: "another-project" })).toThrow(/holds project .* not another-project/);
    tracked(openReplica(path, { actor: "alice", project })).close();
  });

  it("after reopen, local HLCs strictly exceed every HLC in the log, even if the wall clock went back", () => {
    dir = makeTempDir("qc-replica-");
    const path = dir.path("alice.sqlite");
    const now = { ms: T };
    const a = createReplica(path, { actor: "alice", clock: () => now.ms });
    // A peer whose clock runs 4 minutes ahead (inside the drift bound).
    const peer = makeOpBuilder({ project: a.project, replica: "bbbbbbbbbbbbbbbb", now: () => T + 4 * 60_000 });
    a.sync.ingest([peer({ kind: "create", target: { type: "case", id: "k1" }, body: { fields: { name: "Case" } } })]);
    const maxBefore = a.sync.opsAfter().at(-1)!.hlc;
    a.close();
    now.ms = T - 60_000;
    const b = tracked(openReplica(path, { actor: "alice", clock: () => now.ms }));
    b.commands.createCase({ name: "Later case" });
    const mine = b.sync.opsAfter(maxBefore);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.hlc > maxBefore).toBe(true);
  });

  it("refuses to open without an actor, or with a malformed replica id", () => {
    expect(() => createReplica(":memory:", { actor: " " })).toThrow(/needs an actor/);
    expect(() => createReplica(":memory:", { actor: "a", replica: "XYZ" })).toThrow(/16 lowercase hex/);
  });
});

describe("sync surface of the facade", () => {
  const identity = (project: string, stream = "s1") => ({ deployment: "memory:x", project, stream });

  it("ingestPage applies ops and advances the cursor; a cursor of another stream is refused", () => {
    const a = tracked(createReplica(":memory:", { actor: "alice" }));
    const b = tracked(createReplica(":memory:", { actor: "bob", project: a.project }));
    a.commands.createCode({ name: "Hope", color: "#112233" });
    expect(b.sync.ingestPage(a.sync.opsAfter(), { identity: identity(a.project), seq: 2 })).toEqual({
      applied: 2,
      duplicates: 0,
      quarantined: 0,
    });
    expect(b.sync.syncCursor()).toEqual({ identity: identity(a.project), seq: 2 });
    expect(() => b.sync.ingestPage([], { identity: identity(a.project, "s2"), seq: 3 })).toThrow(/follows stream s1/);
  });

  it("a crash between applying a page and storing its cursor leaves neither (one transaction)", () => {
    dir = makeTempDir("qc-replica-");
    const a = tracked(createReplica(":memory:", { actor: "alice" }));
    a.commands.createCode({ name: "Hope", color: "#112233" });
    const path = dir.path("bob.sqlite");
    const b = createReplica(path, { actor: "bob", project: a.project });
    replicaDb(b).exec("CREATE TRIGGER crash BEFORE INSERT ON sync_cursor BEGIN SELECT RAISE(ABORT, 'simulated crash'); END");
    const stateBefore = b.read.canonicalState();
    expect(() => b.sync.ingestPage(a.sync.opsAfter(), { identity: identity(a.project), seq: 2 })).toThrow("simulated crash");
    b.close();
    const reopened = tracked(openReplica(path, { actor: "bob" }));
    expect(countRows(replicaDb(reopened), "ops")).toBe(0);
    expect(reopened.read.canonicalState()).toBe(stateBefore);
    expect(reopened.sync.syncCursor()).toBeUndefined();
  });

  it("outbox holds own ops until acked; ingesting own ops back acks them; onLocalOps fires per command", () => {
    const a = tracked(createReplica(":memory:", { actor: "alice" }));
    let pings = 0;
    const stop = a.sync.onLocalOps(() => pings++);
    a.commands.createCode({ name: "Hope", color: "#112233" });
    a.commands.createCase({ name: "Maria" });
    expect(pings).toBe(2);
    stop();
    expect(a.sync.outboxSize()).toBe(3);
    a.sync.markAcked([a.sync.outbox(1)[0]!.id]);
    expect(a.sync.outboxSize()).toBe(2);
    expect(a.sync.ingestPage(a.sync.opsAfter(), { identity: identity(a.project), seq: 3 })).toEqual({
      applied: 0,
      duplicates: 3,
      quarantined: 0,
    });
    expect(a.sync.outboxSize()).toBe(0);
    a.sync.resetSync();
    expect(a.sync.outboxSize()).toBe(3);
  });
});

describe("page cache", () => {
  it("is CACHE_KIB on a new replica and on a reopened one (whose connection is the one that looked at the file)", () => {
    dir = makeTempDir("qc-replica-");
    const path = dir.path("alice.sqlite");
    const made = createReplica(path, { actor: "alice" });
    expect(replicaDb(made).pragma("cache_size", { simple: true })).toBe(-CACHE_KIB);
    made.close();
    const reopened = tracked(openReplica(path, { actor: "alice" }));
    expect(replicaDb(reopened).pragma("cache_size", { simple: true })).toBe(-CACHE_KIB);
  });
});

describe("durability", () => {
  it("runs with synchronous=NORMAL, and ops handed out by outbox/opsAfter are in the database file itself", () => {
    dir = makeTempDir("qc-replica-");
    const path = dir.path("alice.sqlite");
    const a = tracked(createReplica(path, { actor: "alice" }));
    expect(replicaDb(a).pragma("synchronous", { simple: true })).toBe(1);
    a.commands.createCode({ name: "Hope", color: "#112233" });
    const opsInMainFile = (): number => {
      const copy = dir.path(`copy-${Math.random()}.sqlite`);
      copyFileSync(path, copy); // the main file alone, without its WAL
      const db = new Database(copy, { readonly: true });
      try {
        const hasOps = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'ops'").get() !== undefined;
        return hasOps ? (db.prepare("SELECT count(*) AS n FROM ops").get() as { n: number }).n : 0;
      } finally {
        db.close();
      }
    };
    expect(opsInMainFile()).toBeLessThan(2); // still only in the WAL
    expect(a.sync.outbox(10)).toHaveLength(2);
    expect(opsInMainFile()).toBe(2);
    a.commands.createCase({ name: "Maria" });
    a.sync.opsAfter();
    expect(opsInMainFile()).toBe(3);
  });
});

describe("state over time", () => {
  it("stateAt an HLC or a wall time equals a replay of the ops up to it", () => {
    const now = { ms: T };
    const a = tracked(createReplica(":memory:", { actor: "alice", clock: () => now.ms }));
    const code = a.commands.createCode({ name: "Hope", color: "#112233" });
    const before = a.read.canonicalState();
    const hlcBefore = a.sync.opsAfter().at(-1)!.hlc;
    now.ms += 60_000;
    a.commands.rename("code", code, "Hopefulness");
    expect(a.read.stateAt(hlcBefore)).toBe(before);
    expect(a.read.stateAt(new Date(T + 30_000))).toBe(before);
    expect(a.read.stateAt(new Date(T + 30_000).toISOString())).toBe(before);
    expect(a.read.stateAt(new Date(now.ms))).toBe(a.read.canonicalState());
    expect(() => a.read.stateAt("yesterday-ish")).toThrow(/cannot read "yesterday-ish" as a point in time/);
  });

  it("verify passes on a healthy replica and reports a tampered entity table", () => {
    const a = tracked(createReplica(":memory:", { actor: "alice" }));
    a.commands.createCode({ name: "Hope", color: "#112233" });
    expect(a.read.verify()).toEqual({ ok: true });
    replicaDb(a).exec("UPDATE m_registers SET value = '\"Despair\"' WHERE field = 'name' AND type = 'code'");
    const result = a.read.verify();
    expect(result.ok).toBe(false);
    expect(result.diff).toContain("Despair");
    a.rebuild();
    expect(a.read.verify()).toEqual({ ok: true });
  });

  it("keeps bad remote ops in the quarantine with their reason", () => {
    const a = tracked(createReplica(":memory:", { actor: "alice" }));
    expect(a.sync.ingest([{ v: 1, kind: "create" }])).toEqual({ applied: 0, duplicates: 0, quarantined: 1 });
    expect(a.read.quarantine()).toMatchObject([{ reason: "invalid", from: "ingest" }]);
    a.sync.ingest([{ v: 9, kind: "create" }], "bob's laptop");
    expect(a.read.quarantine()[1]).toMatchObject({ reason: "newer-version", from: "bob's laptop" });
  });
});
