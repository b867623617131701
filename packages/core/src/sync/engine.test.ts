import { afterEach, describe, expect, it } from "vitest";
import { makeOpBuilder } from "../op/op-builder.js";
import { makeMemoryRemote, type MemoryRemote } from "../testing/memory-remote.js";
import { makeFakeReplica } from "../../test/sync/fake-replica.js";
import { fastRetry, sleep, waitFor, waitForStatus } from "../../test/sync/helpers.js";
import { RemoteError, type RemoteOpStore } from "./remote-op-store.js";
import { startSyncEngine, type SyncEngineHandle } from "./start.js";
import type { SyncStatus } from "./status.js";
import type { SyncCursor } from "./syncable-replica.js";

const engines: Array<SyncEngineHandle> = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.stop()));
});

function start(options: Parameters<typeof startSyncEngine>[0]): SyncEngineHandle {
  const engine = startSyncEngine({ retry: fastRetry, ...options });
  engines.push(engine);
  return engine;
}

const replicaId = (n: number) => n.toString(16).padStart(16, "0");

describe("sync engine", () => {
  it("goes connecting → syncing → synced and two replicas exchange their ops", async () => {
    const remote = makeMemoryRemote({ project: "project-1" });
    const a = makeFakeReplica({ replica: replicaId(1) });
    const b = makeFakeReplica({ replica: replicaId(2) });
    a.edit(30);
    const seen: Array<SyncStatus["state"]> = [];
    const ea = start({ replica: a, remote: () => remote.connect() });
    ea.subscribe((s) => seen.push(s.state));
    const eb = start({ replica: b, remote: () => remote.connect() });
    b.edit(5);
    await ea.syncNow();
    await eb.syncNow();
    await ea.syncNow();
    expect(remote.head()).toBe(35);
    expect([...a.ids()].sort()).toEqual([...b.ids()].sort());
    expect(a.outboxSize()).toBe(0);
    await waitForStatus(ea, (s) => s.state === "synced");
    expect(seen).toContain("connecting");
    expect(seen).toContain("syncing");
  });

  it("is disabled when started disabled, and syncNow refuses with an actionable message", async () => {
    const remote = makeMemoryRemote({ project: "project-1" });
    const engine = start({ replica: makeFakeReplica({ replica: replicaId(1) }), remote: () => remote.connect(), enabled: false });
    await waitForStatus(engine, (s) => s.state === "disabled");
    await expect(engine.syncNow()).rejects.toMatchObject({ reason: "disabled", message: expect.stringMatching(/enable sync/) });
  });

  it("disable stops every network call and keeps the backlog; enable pushes it", async () => {
    const remote = makeMemoryRemote({ project: "project-1" });
    const a = makeFakeReplica({ replica: replicaId(1) });
    const engine = start({ replica: a, remote: () => remote.connect() });
    a.edit(3);
    await engine.syncNow();
    await engine.disable();
    expect(engine.status().state).toBe("disabled");
    const before = { ...remote.calls };
    a.edit(10);
    await sleep(200); // absence of calls: nothing to wait for
    expect(remote.calls).toEqual(before);
    expect(remote.openSubscriptions()).toBe(0);
    expect(a.outboxSize()).toBe(10);
    expect(remote.head()).toBe(3);
    await engine.enable();
    await engine.syncNow();
    expect(remote.head()).toBe(13);
    expect(a.outboxSize()).toBe(0);
  });

  it("shows offline while the connection is down, keeps edits local, and pushes the backlog on reconnect", async () => {
    const remote = makeMemoryRemote({ project: "project-1" });
    const a = makeFakeReplica({ replica: replicaId(1) });
    let client = remote.connect();
    const engine = start({ replica: a, remote: () => (client = remote.connect()) });
    await engine.syncNow();
    client.setConnection("disconnected");
    await waitForStatus(engine, (s) => s.state === "offline");
    a.edit(7);
    await sleep(50);
    expect(a.outboxSize()).toBe(7);
    client.setConnection("connected");
    await engine.syncNow();
    expect(remote.head()).toBe(7);
  });

  it("shows offline (not error) while the server is unreachable, and recovers", async () => {
    const remote = makeMemoryRemote({ project: "project-1" });
    let down = true;
    const unreachable = (inner: RemoteOpStore): RemoteOpStore => ({
      ...inner,
      identity: () => (down ? Promise.reject(new RemoteError("unreachable", "connection refused", true)) : inner.identity()),
    });
    const a = makeFakeReplica({ replica: replicaId(1) });
    a.edit(2);
    const engine = start({ replica: a, remote: () => unreachable(remote.connect()) });
    const offline = await waitForStatus(engine, (s) => s.state === "offline");
    expect(offline).toMatchObject({ message: expect.stringMatching(/cannot be reached.*edits are kept/) });
    down = false;
    await engine.syncNow();
    expect(remote.head()).toBe(2);
  });

  it("stops with token-refused and tells the researcher to ask for a new invite", async () => {
    const remote = makeMemoryRemote({ project: "project-1", members: { good: { actor: "actor-1", role: "editor" } } });
    const engine = start({ replica: makeFakeReplica({ replica: replicaId(1) }), remote: () => remote.connect({ token: "revoked" }) });
    const s = await waitForStatus(engine, (x) => x.state === "error");
    expect(s).toMatchObject({ reason: "token-refused", message: expect.stringContaining("the server refused this researcher's token — ask the project owner for a new invite") });
    await expect(engine.syncNow()).rejects.toMatchObject({ reason: "token-refused" });
  });

  it("stops with forbidden for a viewer that pushes", async () => {
    const remote = makeMemoryRemote({ project: "project-1", members: { t: { actor: "actor-1", role: "viewer" } } });
    const a = makeFakeReplica({ replica: replicaId(1) });
    a.edit(1);
    const engine = start({ replica: a, remote: () => remote.connect({ token: "t" }) });
    const s = await waitForStatus(engine, (x) => x.state === "error");
    expect(s).toMatchObject({ reason: "forbidden", message: expect.stringMatching(/ask the project owner for editor access/) });
  });

  it("stops with clock-ahead and says by how many minutes the clock is ahead", async () => {
    const serverNow = Date.UTC(2026, 10, 25, 12, 0, 0);
    const remote = makeMemoryRemote({ project: "project-1", maxAheadMs: 5 * 60_000, now: () => serverNow });
    const a = makeFakeReplica({ replica: replicaId(1), now: () => serverNow + 7 * 60_000 });
    a.edit(1);
    const engine = start({ replica: a, remote: () => remote.connect() });
    const s = await waitForStatus(engine, (x) => x.state === "error");
    expect(s).toMatchObject({
      reason: "clock-ahead",
      message: "this computer's clock is 7 minutes ahead of the server; fix the system clock, then sync again",
    });
    expect(a.outboxSize()).toBe(1);
  });

  it("refuses another stream with wrong-stream, naming the expected one, until switchStream", async () => {
    const first = makeMemoryRemote({ project: "project-1", name: "one", stream: "stream-one" });
    const second = makeMemoryRemote({ project: "project-1", name: "two", stream: "stream-two" });
    const a = makeFakeReplica({ replica: replicaId(1) });
    a.edit(4);
    const engine = start({ replica: a, remote: () => first.connect() });
    await engine.syncNow();
    await engine.configure({ remote: () => second.connect() });
    const s = await waitForStatus(engine, (x) => x.state === "error");
    expect(s).toMatchObject({ reason: "wrong-stream" });
    const message = (s as { message: string }).message;
    expect(message).toContain("stream-one");
    expect(message).toContain("memory:one");
    expect(message).toContain("stream-two");
    expect(message).toContain("switchStream()");
    expect(second.calls.push).toBe(0);
    await engine.switchStream();
    await engine.syncNow();
    expect(second.head()).toBe(4);
    expect(a.syncCursor()?.identity.stream).toBe("stream-two");
  });

  it("refuses a remote of another project with wrong-stream", async () => {
    const remote = makeMemoryRemote({ project: "project-2", name: "other" });
    const engine = start({ replica: makeFakeReplica({ replica: replicaId(1) }), remote: () => remote.connect() });
    const s = await waitForStatus(engine, (x) => x.state === "error");
    expect(s).toMatchObject({ reason: "wrong-stream", message: expect.stringMatching(/serves project project-2.*holds project project-1/) });
  });

  it("reports not-configured when enabled without a remote, and runs once configured", async () => {
    const remote = makeMemoryRemote({ project: "project-1" });
    const engine = start({ replica: makeFakeReplica({ replica: replicaId(1) }) });
    await waitForStatus(engine, (s) => s.state === "error" && s.reason === "not-configured");
    await engine.configure({ remote: () => remote.connect(), project: "project-1" });
    await engine.syncNow();
    expect(engine.status().state).toBe("synced");
  });

  it("quarantines invalid remote ops through the replica and keeps syncing", async () => {
    const remote = makeMemoryRemote({ project: "project-1" });
    const a = makeFakeReplica({ replica: replicaId(1) });
    const b = makeFakeReplica({ replica: replicaId(2) });
    const ea = start({ replica: a, remote: () => remote.connect() });
    const eb = start({ replica: b, remote: () => remote.connect() });
    a.edit(2);
    await ea.syncNow();
    remote.injectRaw({ garbage: true });
    a.edit(2);
    await ea.syncNow();
    await eb.syncNow();
    expect(b.ids().size).toBe(4);
    expect(b.quarantined()).toEqual([{ garbage: true }]);
    expect(b.syncCursor()?.seq).toBe(5);
  });

  it("retries write conflicts without duplicating anything", async () => {
    const remote = makeMemoryRemote({ project: "project-1" });
    let conflicts = 3;
    const a = makeFakeReplica({ replica: replicaId(1) });
    a.edit(20);
    const engine = start({
      replica: a,
      remote: () => {
        const inner = remote.connect();
        return {
          ...inner,
          push: (ops) =>
            conflicts-- > 0 ? Promise.reject(new RemoteError("write-conflict", "OCC", true)) : inner.push(ops),
        };
      },
    });
    await engine.syncNow();
    expect(remote.head()).toBe(20);
    expect(conflicts).toBeLessThan(0);
  });
});

describe("inbound", () => {
  it("re-pulls after a seq gap in a page and never moves the cursor over the gap", async () => {
    const remote = makeMemoryRemote({ project: "project-1" });
    const a = makeFakeReplica({ replica: replicaId(1) });
    const b = makeFakeReplica({ replica: replicaId(2) });
    a.edit(10);
    const ea = start({ replica: a, remote: () => remote.connect() });
    await ea.syncNow();
    let gaps = 2;
    const cursors: Array<number> = [];
    const ingest = b.ingestPage;
    const spied = {
      ...b,
      ingestPage: (raws: ReadonlyArray<unknown>, cursor: SyncCursor) => {
        cursors.push(cursor.seq);
        return ingest(raws, cursor);
      },
    };
    const eb = start({
      replica: spied,
      pageSize: 4,
      remote: () => {
        const inner = remote.connect();
        return {
          ...inner,
          pull: async (after, limit) => {
            const page = await inner.pull(after, limit);
            // Drop the second op of the page: seq jumps by 2.
            if (gaps-- > 0 && page.ops.length > 2) return { ...page, ops: [page.ops[0]!, ...page.ops.slice(2)] };
            return page;
          },
        };
      },
    });
    await eb.syncNow();
    expect(b.ids().size).toBe(10);
    expect(b.syncCursor()?.seq).toBe(10);
    // Each ingested page continued the cursor: never a jump.
    let last = 0;
    for (const c of cursors) {
      expect(c).toBeGreaterThan(last);
      last = c;
    }
    expect(cursors[0]).toBe(1);
  });
});

describe("outbound batches", () => {
  it("pushes in HLC order, at most 500 ops and 4 MiB per batch", async () => {
    const remote = makeMemoryRemote({ project: "project-1" });
    const a = makeFakeReplica({ replica: replicaId(1) });
    a.edit(1200);
    const build = makeOpBuilder({ project: "project-1", replica: replicaId(1), now: () => Date.UTC(2027, 0, 1) });
    const big = Array.from({ length: 30 }, () =>
      build({ kind: "text", target: { type: "code", id: "c" }, body: { field: "memo", update: "A".repeat(200_000) } }),
    );
    const batches: Array<{ n: number; bytes: number; sorted: boolean }> = [];
    const withBig = {
      ...a,
      outbox: (limit: number) => [...a.outbox(Number.MAX_SAFE_INTEGER), ...big.filter((o) => !acked.has(o.id))].slice(0, limit),
      outboxSize: () => a.outboxSize() + big.filter((o) => !acked.has(o.id)).length,
      markAcked: (ids: ReadonlyArray<string>) => {
        for (const id of ids) acked.add(id);
        a.markAcked(ids);
      },
    };
    const acked = new Set<string>();
    const engine = start({
      replica: withBig,
      remote: () => {
        const inner = remote.connect();
        return {
          ...inner,
          push: (ops) => {
            const hlcs = ops.map((o) => o.hlc);
            batches.push({
              n: ops.length,
              bytes: ops.reduce((s, o) => s + Buffer.byteLength(JSON.stringify(o)), 0),
              sorted: hlcs.every((h, i) => i === 0 || hlcs[i - 1]! < h),
            });
            return inner.push(ops);
          },
        };
      },
    });
    await engine.syncNow();
    expect(remote.head()).toBe(1230);
    expect(batches.every((b) => b.n <= 500 && b.bytes <= 4 * 1024 * 1024 && b.sorted)).toBe(true);
    // 500 + 500 + (200 small + ~19 big, cut by bytes) + the rest of the big ones.
    expect(batches.length).toBeGreaterThanOrEqual(4);
    expect(batches.some((b) => b.bytes > 3 * 1024 * 1024)).toBe(true);
  });
});

void waitFor;
