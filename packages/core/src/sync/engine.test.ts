/**
 * Engine unit tests over real SQLite replicas (temp files) and the in-memory
 * remote: each status, each error text, disable, gap re-pull, batch limits.
 * Tests about time (timeouts, backoff, "no call happens") run the engine
 * from `SyncEngine.layerTest` under Effect's TestClock and move the clock
 * instead of waiting.
 */
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { createReplica, type Replica } from "../replica.js";
import { makeOpBuilder } from "../testing/pure/op-builder.js";
import type { Op } from "../op/op.js";
import { makeMemoryRemote, type MemoryClient, type MemoryMember } from "../testing/memory-remote.js";
import { textUpdateOfBase64Length } from "../testing/yjs-updates.js";
import * as Chunk from "effect/Chunk";
import * as Effect from "effect/Effect";
import * as Fiber from "effect/Fiber";
import * as Option from "effect/Option";
import * as Stream from "effect/Stream";
import * as TestClock from "effect/TestClock";
import * as TestContext from "effect/TestContext";
import * as SyncEngine from "./engine.js";
import { takeBatch } from "./outbound.js";
import { defaultBatchLimits } from "./session.js";
import { edit, fastRetry, ids, openTestReplica, waitForStatus } from "../../test/sync/helpers.js";
import { makeTempDir } from "../testing/temp-dir.js";
import { waitFor } from "../testing/wait-for.js";
import { RemoteError, type RemoteOpStore } from "./remote-op-store.js";
import { startSyncEngine, type SyncEngineHandle } from "./start.js";
import type { SyncStatus } from "./status.js";
import type { SyncableReplica } from "./syncable-replica.js";

const dir = makeTempDir("qc-engine-");
const engines: Array<SyncEngineHandle> = [];
const replicas: Array<Replica> = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.stop()));
  for (const r of replicas.splice(0)) r.close();
});
afterAll(() => dir.remove());

let files = 0;
/** A founder (creates the project: one op) or a member joining `project`. */
function replica(n: number, options: { project?: string; clock?: () => number } = {}): Replica {
  const r = openTestReplica(`${dir.root}/r${(files += 1)}.sqlite`, n, options);
  replicas.push(r);
  return r;
}

function start(options: Parameters<typeof startSyncEngine>[0]): SyncEngineHandle {
  const engine = startSyncEngine({ retry: fastRetry, ...options });
  engines.push(engine);
  return engine;
}

/** Runs `body` with the engine of `engineLayer` under TestClock (the layer's scope closes afterwards). */
function underTestClock<A>(
  engineLayer: ReturnType<typeof SyncEngine.layerTest>,
  body: (engine: SyncEngine.SyncEngineService) => Effect.Effect<A, unknown>,
): Promise<A> {
  const program = Effect.flatMap(SyncEngine.SyncEngine, body).pipe(Effect.provide(engineLayer), Effect.provide(TestContext.TestContext));
  return Effect.runPromise(program as Effect.Effect<A>);
}

/** Lets the remote's callbacks (microtasks) and due fibers run: one event-loop turn, no wall-clock wait. */
const flush = Effect.promise(() => new Promise<void>((resolve) => setImmediate(resolve)));

/** Moves the test clock forward `minutes` virtual minutes, a minute at a time, flushing after each. */
function advance(minutes: number): Effect.Effect<void> {
  return Effect.gen(function* () {
    for (let i = 0; i < minutes; i++) {
      yield* TestClock.adjust("1 minute");
      yield* flush;
    }
  });
}

/** Runs `effect` while moving the test clock a second at a time until it ends; fails after 10 virtual minutes. */
function settle<A, E>(effect: Effect.Effect<A, E>): Effect.Effect<A, E | Error> {
  return Effect.gen(function* () {
    const fiber = yield* Effect.fork(effect);
    for (let second = 0; second < 600; second++) {
      if (Option.isSome(yield* Fiber.poll(fiber))) return yield* Fiber.join(fiber);
      yield* flush;
      yield* TestClock.adjust("1 second");
    }
    yield* Fiber.interrupt(fiber);
    return yield* Effect.fail(new Error("did not finish within 10 virtual minutes"));
  });
}

describe("sync engine", () => {
  it("goes connecting → syncing → synced and two replicas exchange their ops", async () => {
    const a = replica(1);
    const b = replica(2, { project: a.project });
    const remote = makeMemoryRemote({ project: a.project });
    edit(a, 30);
    const seen: Array<SyncStatus["state"]> = [];
    const ea = start({ replica: a.sync, remote: () => remote.connect() });
    ea.subscribe((s) => seen.push(s.state));
    const eb = start({ replica: b.sync, remote: () => remote.connect() });
    edit(b, 5);
    await ea.syncNow();
    await eb.syncNow();
    await ea.syncNow();
    expect(remote.head()).toBe(36); // 30 + 5 + the project's create op
    expect(ids(a)).toEqual(ids(b));
    expect(a.read.canonicalState()).toBe(b.read.canonicalState());
    expect(a.sync.outboxSize()).toBe(0);
    await waitForStatus(ea, (s) => s.state === "synced");
    expect(seen).toContain("connecting");
    expect(seen).toContain("syncing");
  });

  it("reports syncing with the numbers of ops to push and to pull", async () => {
    const a = replica(1);
    const b = replica(2, { project: a.project });
    const remote = makeMemoryRemote({ project: a.project });
    edit(a, 10);
    await start({ replica: a.sync, remote: () => remote.connect() }).syncNow();
    edit(b, 3);
    let gate: () => void = () => {};
    const opened = new Promise<void>((r) => (gate = r));
    const eb = start({
      replica: b.sync,
      remote: () => {
        const inner = remote.connect();
        // Hold pulls and pushes until the test saw the counts.
        return { ...inner, pull: (x, y) => opened.then(() => inner.pull(x, y)), push: (ops) => opened.then(() => inner.push(ops)) };
      },
    });
    await waitForStatus(eb, (s) => s.state === "syncing" && s.toPush === 3 && s.toPull === 11);
    gate();
    await eb.syncNow();
    expect(eb.status().state).toBe("synced");
  });

  it("is disabled when started disabled, and syncNow refuses with an actionable message", async () => {
    const a = replica(1);
    const remote = makeMemoryRemote({ project: a.project });
    const engine = start({ replica: a.sync, remote: () => remote.connect(), enabled: false });
    await waitForStatus(engine, (s) => s.state === "disabled");
    await expect(engine.syncNow()).rejects.toMatchObject({ reason: "disabled", message: expect.stringMatching(/enable sync/) });
    expect(remote.calls.identity).toBe(0);
  });

  it("disable stops every network call and keeps the backlog; enable pushes it", async () => {
    const a = replica(1);
    const remote = makeMemoryRemote({ project: a.project });
    edit(a, 3);
    await underTestClock(SyncEngine.layerTest({ replica: a.sync, server: remote }), (engine) =>
      Effect.gen(function* () {
        yield* settle(engine.syncNow);
        yield* engine.disable;
        yield* flush; // the status publisher's fiber recomputes
        expect((yield* engine.currentStatus).state).toBe("disabled");
        const before = { ...remote.calls };
        edit(a, 10);
        yield* advance(60); // past every retry and timeout: a disabled engine makes no call
        expect(remote.calls).toEqual(before);
        expect(remote.openSubscriptions()).toBe(0);
        expect(a.sync.outboxSize()).toBe(10);
        expect(remote.head()).toBe(4);
        yield* engine.enable;
        yield* settle(engine.syncNow);
        expect(remote.head()).toBe(14);
        expect(a.sync.outboxSize()).toBe(0);
      }),
    );
  });

  it("shows offline while the connection is down, keeps edits local, and pushes the backlog on reconnect", async () => {
    const a = replica(1);
    const remote = makeMemoryRemote({ project: a.project });
    let client = remote.connect();
    const engine = start({ replica: a.sync, remote: () => (client = remote.connect()) });
    await engine.syncNow();
    client.setConnection("disconnected");
    await waitForStatus(engine, (s) => s.state === "offline");
    edit(a, 7);
    expect(a.sync.outboxSize()).toBe(7);
    client.setConnection("connected");
    await engine.syncNow();
    expect(remote.head()).toBe(8);
  });

  it("shows offline (not error) while the server is unreachable, and recovers", async () => {
    const a = replica(1);
    const remote = makeMemoryRemote({ project: a.project });
    let down = true;
    const unreachable = (inner: RemoteOpStore): RemoteOpStore => ({
      ...inner,
      identity: () =>
        down
          ? Promise.reject(new RemoteError({ reason: "unreachable", message: "connection refused", retryable: true }))
          : inner.identity(),
    });
    edit(a, 2);
    const engine = start({ replica: a.sync, remote: () => unreachable(remote.connect()) });
    const offline = await waitForStatus(engine, (s) => s.state === "offline");
    expect(offline).toMatchObject({ message: expect.stringMatching(/cannot be reached.*edits are kept/) });
    down = false;
    await engine.syncNow();
    expect(remote.head()).toBe(3);
  });

  it("a reconnect cuts a long retry backoff short and pushes the backlog at once", async () => {
    const a = replica(1);
    const remote = makeMemoryRemote({ project: a.project });
    let down = true;
    let client = remote.connect();
    const engine = start({
      replica: a.sync,
      retry: { baseDelay: "1 hour", maxDelay: "1 hour", requestTimeout: "2 seconds" },
      remote: () => {
        client = remote.connect();
        const inner = client;
        return {
          ...inner,
          push: (ops) =>
            down ? Promise.reject(new RemoteError({ reason: "unreachable", message: "down", retryable: true })) : inner.push(ops),
        };
      },
    });
    edit(a, 2);
    await waitForStatus(engine, (s) => s.state === "offline");
    down = false;
    client.setConnection("disconnected");
    client.setConnection("connected");
    await waitFor("the backlog pushed after the reconnect", () => remote.head() === 3);
    await waitForStatus(engine, (s) => s.state === "synced");
  });

  it("treats a request that never answers as unreachable and retries it", async () => {
    const a = replica(1);
    const remote = makeMemoryRemote({ project: a.project });
    let hangs = 2;
    edit(a, 2);
    const server = {
      connect: (): RemoteOpStore => {
        const inner = remote.connect();
        return { ...inner, push: (ops) => (hangs-- > 0 ? new Promise<never>(() => {}) : inner.push(ops)) };
      },
    };
    // The default 30-second request timeout, on the test clock.
    await underTestClock(SyncEngine.layerTest({ replica: a.sync, server }), (engine) => settle(engine.syncNow));
    expect(hangs).toBeLessThan(0);
    expect(remote.head()).toBe(3);
  });

  it("stops with token-refused and tells the researcher to ask for a new invite", async () => {
    const a = replica(1);
    const remote = makeMemoryRemote({ project: a.project, members: { good: { actor: "actor-1", role: "editor" } } });
    const engine = start({ replica: a.sync, remote: () => remote.connect({ token: "revoked" }) });
    const s = await waitForStatus(engine, (x) => x.state === "error");
    expect(s).toMatchObject({
      reason: "token-refused",
      message: expect.stringContaining("the server refused this researcher's token — ask the project owner for a new invite"),
    });
    await expect(engine.syncNow()).rejects.toMatchObject({ reason: "token-refused" });
  });

  it("reports forbidden for a viewer that pushes", async () => {
    const a = replica(1);
    const remote = makeMemoryRemote({ project: a.project, members: { t: { actor: "actor-1", role: "viewer" } } });
    const engine = start({ replica: a.sync, remote: () => remote.connect({ token: "t" }) });
    const s = await waitForStatus(engine, (x) => x.state === "error");
    expect(s).toMatchObject({ reason: "forbidden", message: expect.stringMatching(/ask the project owner for editor access/) });
  });

  it("stops with clock-ahead and says by how many minutes the clock is ahead", async () => {
    const serverNow = Date.now();
    const a = replica(1, { clock: () => serverNow + 7 * 60_000 });
    const remote = makeMemoryRemote({ project: a.project, maxAheadMs: 5 * 60_000, now: () => serverNow });
    const engine = start({ replica: a.sync, remote: () => remote.connect() });
    const s = await waitForStatus(engine, (x) => x.state === "error");
    expect(s).toMatchObject({
      reason: "clock-ahead",
      message: "this computer's clock is 7 minutes ahead of the server; fix the system clock, then sync again",
    });
    expect(a.sync.outboxSize()).toBe(1);
  });

  it("refuses another stream with wrong-stream, naming the expected one, until switchStream", async () => {
    const a = replica(1);
    const first = makeMemoryRemote({ project: a.project, name: "one", stream: "stream-one" });
    const second = makeMemoryRemote({ project: a.project, name: "two", stream: "stream-two" });
    edit(a, 4);
    const engine = start({ replica: a.sync, remote: () => first.connect() });
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
    expect(second.head()).toBe(5);
    expect(a.sync.syncCursor()?.identity.stream).toBe("stream-two");
  });

  it("refuses a remote of another project with wrong-stream", async () => {
    const a = replica(1);
    const remote = makeMemoryRemote({ project: "another-project", name: "other" });
    const engine = start({ replica: a.sync, remote: () => remote.connect() });
    const s = await waitForStatus(engine, (x) => x.state === "error");
    expect(s).toMatchObject({
      reason: "wrong-stream",
      message: expect.stringMatching(new RegExp(`serves project another-project.*holds project ${a.project}`)),
    });
    expect(remote.calls.push).toBe(0);
  });

  it("reports not-configured when enabled without a remote, and runs once configured", async () => {
    const a = replica(1);
    const remote = makeMemoryRemote({ project: a.project });
    const engine = start({ replica: a.sync });
    await waitForStatus(engine, (s) => s.state === "error" && s.reason === "not-configured");
    await engine.configure({ remote: () => remote.connect(), project: a.project });
    await engine.syncNow();
    expect(engine.status().state).toBe("synced");
  });

  it("connects by URL through the `connect` option, and switches URL at run time", async () => {
    const a = replica(1);
    const servers = new Map([["https://one.example", makeMemoryRemote({ project: a.project, stream: "s" })]]);
    const connect = (url: string) => servers.get(url)!.connect();
    const engine = start({ replica: a.sync, connect, enabled: false });
    await engine.configure({ url: "https://one.example" });
    await engine.enable();
    await engine.syncNow();
    expect(servers.get("https://one.example")!.head()).toBe(1);
    const plain = start({ replica: replica(2, { project: a.project }).sync });
    await plain.configure({ url: "https://one.example" });
    await waitForStatus(plain, (s) => s.state === "error" && s.reason === "not-configured" && s.message.includes("without `connect`"));
  });

  it("resumes from the stored cursor and outbox after the replica is closed and reopened", async () => {
    const path = `${dir.root}/reopen.sqlite`;
    const first = openTestReplica(path, 1);
    const remote = makeMemoryRemote({ project: first.project });
    const e1 = startSyncEngine({ replica: first.sync, remote: () => remote.connect(), retry: fastRetry });
    edit(first, 5);
    await e1.syncNow();
    await e1.disable();
    edit(first, 4); // backlog left in the file
    await e1.stop();
    first.close();
    const other = replica(2, { project: first.project });
    edit(other, 3);
    await start({ replica: other.sync, remote: () => remote.connect() }).syncNow();
    const pulls = remote.calls.pull;
    const reopened = openTestReplica(path, 1);
    replicas.push(reopened);
    expect(reopened.sync.outboxSize()).toBe(4);
    expect(reopened.sync.syncCursor()?.seq).toBe(6);
    await start({ replica: reopened.sync, remote: () => remote.connect() }).syncNow();
    expect(remote.head()).toBe(13);
    expect(ids(reopened)).toEqual(ids(other));
    // Only what was new was pulled: a handful of pulls, not a replay from 0.
    expect(remote.calls.pull - pulls).toBeLessThan(10);
  });

  it("quarantines invalid remote ops through the replica and keeps syncing", async () => {
    const a = replica(1);
    const b = replica(2, { project: a.project });
    const remote = makeMemoryRemote({ project: a.project });
    const ea = start({ replica: a.sync, remote: () => remote.connect() });
    const eb = start({ replica: b.sync, remote: () => remote.connect() });
    edit(a, 2);
    await ea.syncNow();
    remote.injectRaw({ id: "garbage", garbage: true });
    edit(a, 2);
    await ea.syncNow();
    await eb.syncNow();
    expect(ids(b)).toEqual(ids(a));
    expect(b.read.quarantine().map((q) => q.id)).toEqual(["garbage"]);
    expect(b.sync.syncCursor()?.seq).toBe(6);
  });

  it("retries write conflicts without duplicating anything", async () => {
    const a = replica(1);
    const remote = makeMemoryRemote({ project: a.project });
    let conflicts = 3;
    edit(a, 20);
    const engine = start({
      replica: a.sync,
      remote: () => {
        const inner = remote.connect();
        return {
          ...inner,
          push: (ops) =>
            conflicts-- > 0
              ? Promise.reject(new RemoteError({ reason: "write-conflict", message: "OCC", retryable: true }))
              : inner.push(ops),
        };
      },
    });
    await engine.syncNow();
    expect(remote.head()).toBe(21);
    expect(conflicts).toBeLessThan(0);
  });
});

describe("push refusals", () => {
  /** A replica of `actor` (distinct from the others' actors, as the server checks). */
  function memberReplica(n: number, actor: string, project?: string): Replica {
    const r = createReplica(`${dir.root}/m${(files += 1)}.sqlite`, {
      actor,
      replica: n.toString(16).repeat(16),
      synchronous: "normal",
      ...(project === undefined ? {} : { project }),
    });
    replicas.push(r);
    return r;
  }

  /** Ann founds the project (owner); `who` joins it with `role`. Members can change later. */
  function team(who: string, role: MemoryMember["role"]) {
    const ann = memberReplica(1, "ann");
    const other = memberReplica(2, who, ann.project);
    const members: Record<string, MemoryMember> = { "ann-token": { actor: "ann", role: "owner" }, [`${who}-token`]: { actor: who, role } };
    const remote = makeMemoryRemote({ project: ann.project, members });
    const annEngine = start({ replica: ann.sync, remote: () => remote.connect({ token: "ann-token" }) });
    return { ann, other, members, remote, annEngine };
  }

  it("a viewer's refused push stops pushing, not pulling; after promotion, enable() pushes the backlog", async () => {
    const { ann, other: vic, members, remote, annEngine } = team("vic", "viewer");
    const vicEngine = start({ replica: vic.sync, remote: () => remote.connect({ token: "vic-token" }) });
    await annEngine.syncNow();
    const mine = vic.commands.createCode({ name: "Vic's code", color: "#0000aa" });
    const refused = await waitForStatus(vicEngine, (s) => s.state === "error");
    expect(refused).toMatchObject({ reason: "forbidden", message: expect.stringMatching(/ask the project owner for editor access/) });

    // Ann's later edit reaches Vic by the head subscription alone (no syncNow on Vic's side).
    const later = ann.commands.createCode({ name: "Later", color: "#00aa00" });
    await waitFor("vic to receive ann's later edit", () => vic.read.entity("code", later) !== undefined, 30_000);
    expect(vicEngine.status()).toMatchObject({ state: "error", reason: "forbidden" });
    expect(vic.sync.outboxSize()).toBe(1); // the edit is kept locally
    expect(remote.ops().some((o) => (o.op as Op).actor === "vic")).toBe(false);
    expect(vic.sync.syncCursor()?.seq).toBe(remote.head());
    // syncNow pulls, then answers with the refusal: the outbox cannot empty.
    await expect(vicEngine.syncNow()).rejects.toMatchObject({ reason: "forbidden" });

    members["vic-token"] = { actor: "vic", role: "editor" }; // the owner promotes Vic
    await vicEngine.enable();
    await vicEngine.syncNow();
    await waitForStatus(vicEngine, (s) => s.state === "synced");
    expect(vic.sync.outboxSize()).toBe(0);
    await annEngine.syncNow();
    expect(ann.read.entity("code", mine)).toBeDefined();
    expect(ann.read.canonicalState()).toBe(vic.read.canonicalState());
  });

  it("an op refused as id-reused stops pushing, not pulling; once allowed, enable() pushes it", async () => {
    const { ann, other: bob, remote, annEngine } = team("bob", "editor");
    let refuse = true;
    const bobEngine = start({
      replica: bob.sync,
      remote: () => {
        const inner = remote.connect({ token: "bob-token" });
        return {
          ...inner,
          push: (ops) =>
            refuse
              ? Promise.reject(
                  new RemoteError({
                    reason: "id-reused",
                    message: `op ${ops[0]?.id} is already stored with different content`,
                    retryable: false,
                  }),
                )
              : inner.push(ops),
        };
      },
    });
    bob.commands.createCode({ name: "Bob's code", color: "#0000aa" });
    await waitForStatus(bobEngine, (s) => s.state === "error" && s.reason === "id-reused");
    const later = ann.commands.createCode({ name: "Later", color: "#00aa00" });
    await waitFor("bob to receive ann's later edit", () => bob.read.entity("code", later) !== undefined, 30_000);
    expect(bobEngine.status()).toMatchObject({ state: "error", reason: "id-reused" });
    refuse = false;
    await bobEngine.enable();
    await bobEngine.syncNow();
    await annEngine.syncNow();
    expect(ids(ann)).toEqual(ids(bob));
  });

  it("a revoked token still stops everything, pulls included", async () => {
    const { ann, other: dan, members, remote, annEngine } = team("dan", "editor");
    let client: MemoryClient | undefined;
    const server = { connect: () => (client = remote.connect({ token: "dan-token" })) };
    await underTestClock(SyncEngine.layerTest({ replica: dan.sync, server }), (danEngine) =>
      Effect.gen(function* () {
        dan.commands.createCode({ name: "Before", color: "#aa0000" });
        yield* settle(danEngine.syncNow);
        delete members["dan-token"]; // revoked
        dan.commands.createCode({ name: "After revoke", color: "#aa0000" });
        const s = yield* settle(
          danEngine.status.pipe(
            Stream.filter((x) => x.state === "error"),
            Stream.runHead,
          ),
        );
        expect(Option.getOrUndefined(s)).toMatchObject({
          reason: "token-refused",
          message: expect.stringMatching(/ask the project owner for a new invite/),
        });
        expect(client?.openSubscriptions()).toBe(0); // the session ended: no head subscription left
        const pulls = client?.calls.pull;
        const later = ann.commands.createCode({ name: "Later", color: "#00aa00" });
        yield* Effect.promise(() => annEngine.syncNow());
        yield* advance(60); // past every retry: a stopped engine makes no pull
        expect(client?.calls.pull).toBe(pulls);
        expect(dan.read.entity("code", later)).toBeUndefined();
        expect(yield* Effect.flip(danEngine.syncNow)).toMatchObject({ reason: "token-refused" });
      }),
    );
  });
});

describe("Effect API", () => {
  it("provides SyncEngine through a layer; its status stream reaches synced", async () => {
    const a = replica(1);
    const remote = makeMemoryRemote({ project: a.project });
    edit(a, 3);
    const program = Effect.gen(function* () {
      const engine = yield* SyncEngine.SyncEngine;
      const synced = yield* engine.status.pipe(
        Stream.filter((s) => s.state === "synced"),
        Stream.take(1),
        Stream.runCollect,
        Effect.fork,
      );
      yield* engine.syncNow;
      return yield* Fiber.join(synced);
    }).pipe(Effect.provide(SyncEngine.layer({ replica: a.sync, remote: () => remote.connect(), retry: fastRetry })));
    const statuses = await Effect.runPromise(program);
    expect(Chunk.toReadonlyArray(statuses)[0]?.state).toBe("synced");
    expect(remote.head()).toBe(4);
    expect(remote.openSubscriptions()).toBe(0); // the layer's scope closed the session
  });
});

describe("inbound", () => {
  it("re-pulls after a seq gap in a page and never moves the cursor over the gap", async () => {
    const a = replica(1);
    const b = replica(2, { project: a.project });
    const remote = makeMemoryRemote({ project: a.project });
    edit(a, 10);
    await start({ replica: a.sync, remote: () => remote.connect() }).syncNow();
    let gaps = 2;
    const cursors: Array<number> = [];
    const spied: SyncableReplica = {
      ...b.sync,
      ingestPage: (raws, cursor) => {
        cursors.push(cursor.seq);
        return b.sync.ingestPage(raws, cursor);
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
    expect(ids(b)).toEqual(ids(a));
    expect(b.sync.syncCursor()?.seq).toBe(11);
    expect(cursors[0]).toBe(1); // the first page was cut at the gap
    expect(cursors).toEqual([...cursors].sort((x, y) => x - y));
    expect(new Set(cursors).size).toBe(cursors.length);
  });
});

describe("outbound batches", () => {
  it("takes at most 500 ops and 4 MiB per batch by default, oldest first, and always at least one op", () => {
    const build = makeOpBuilder({ project: "p", replica: "1111111111111111" });
    const small = Array.from({ length: 1200 }, () => build());
    const big = Array.from({ length: 30 }, () =>
      build({
        kind: "text",
        target: { type: "code", id: "c" },
        body: { field: "memo", update: textUpdateOfBase64Length("memo", 200_000) },
      }),
    );
    const outbox = (ops: ReadonlyArray<Op>) => ({ outbox: (limit: number) => ops.slice(0, limit) }) as unknown as SyncableReplica;
    expect(takeBatch(outbox(small), defaultBatchLimits)).toEqual(small.slice(0, 500));
    const cut = takeBatch(outbox(big), defaultBatchLimits);
    const bytes = cut.reduce((n, op) => n + Buffer.byteLength(JSON.stringify(op)), 0);
    expect(cut.length).toBeLessThan(30);
    expect(bytes).toBeLessThanOrEqual(4 * 1024 * 1024);
    expect(bytes + Buffer.byteLength(JSON.stringify(big[cut.length]))).toBeGreaterThan(4 * 1024 * 1024);
    expect(takeBatch(outbox(big), { maxOps: 500, maxBytes: 10 })).toHaveLength(1);
  });

  it("pushes the whole backlog in HLC order within the batch limits", async () => {
    const a = replica(1);
    const remote = makeMemoryRemote({ project: a.project });
    edit(a, 120);
    // Long text arrives as several text ops: some of them exceed a small byte limit together.
    a.commands.createJournal({ name: "transcript", text: "lorem ipsum ".repeat(40_000) });
    const total = a.sync.outboxSize();
    const limits = { maxOps: 50, maxBytes: 128 * 1024 };
    const batches: Array<{ n: number; bytes: number; first: string; last: string }> = [];
    const engine = start({
      replica: a.sync,
      batch: limits,
      remote: () => {
        const inner = remote.connect();
        return {
          ...inner,
          push: (ops) => {
            const hlcs = ops.map((o) => o.hlc);
            batches.push({
              n: ops.length,
              bytes: ops.reduce((s, o) => s + Buffer.byteLength(JSON.stringify(o)), 0),
              first: hlcs[0]!,
              last: hlcs.every((h, i) => i === 0 || hlcs[i - 1]! < h) ? hlcs[hlcs.length - 1]! : "unsorted",
            });
            return inner.push(ops);
          },
        };
      },
    });
    await engine.syncNow();
    expect(remote.head()).toBe(total);
    for (const [i, b] of batches.entries()) {
      expect(b.n).toBeLessThanOrEqual(limits.maxOps);
      expect(b.n === 1 || b.bytes <= limits.maxBytes).toBe(true);
      expect(b.last).not.toBe("unsorted");
      if (i > 0) expect(b.first > batches[i - 1]!.last).toBe(true); // batches follow HLC order
    }
    expect(batches.some((b) => b.n < limits.maxOps && b !== batches[batches.length - 1])).toBe(true);
  });
});
