/**
 * The RemoteOpStore conformance suite (docs/design.md §7): the same cases against
 * every remote (in-memory, convex-test direct, the local protocol backend,
 * real Convex). Call `runRemoteConformance(name, makeHarness)` at the top
 * level of a vitest file.
 *
 * Targets may share one long-lived project (real Convex): every case pushes
 * ops of its own random replica and asserts only relative to the head it
 * found, never that a stream is empty.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatHlc } from "@qc/core/op";
import { RemoteError, type ConnectionState, type RemoteOpStore } from "@qc/core/sync";
import { makeTestOps, type TestOpsSpec } from "@qc/core/testing/pure";

export interface ConformanceMember {
  readonly project: string;
  readonly actor: string;
  readonly token: string;
}

export interface ConformanceHarness {
  /** Owner credentials of a project: a fresh one, or one shared by every case. */
  readonly project: () => Promise<ConformanceMember>;
  readonly invite: (owner: ConformanceMember, actor: string, role: "editor" | "viewer") => Promise<ConformanceMember>;
  readonly remote: (member: { readonly project: string; readonly token: string }) => RemoteOpStore;
  /** Take the backend away and bring it back with its data; omitted when the target cannot. */
  readonly outage?: { readonly stop: () => Promise<void>; readonly start: () => Promise<void> };
  readonly dispose: () => Promise<void>;
}

/** Stable keys of the cases, for `knownGaps`. */
export type ConformanceCase =
  | "push"
  | "received-at"
  | "re-push"
  | "paging"
  | "identity"
  | "subscription"
  | "bad-token"
  | "viewer"
  | "id-reused"
  | "invalid-op"
  | "actor-mismatch"
  | "clock-ahead"
  | "replica-claimed"
  | "outage";

export interface ConformanceOptions {
  /**
   * Cases this target is known to fail: they run as `it.fails`, so the suite
   * stays green and flags the day a gap is closed (then remove the key).
   */
  readonly knownGaps?: ReadonlyArray<ConformanceCase>;
}

export function runRemoteConformance(name: string, makeHarness: () => Promise<ConformanceHarness>, options: ConformanceOptions = {}): void {
  const test = (key: ConformanceCase, title: string, body: (context: { skip: () => void }) => Promise<void>) =>
    options.knownGaps?.includes(key) === true ? it.fails(`${title} [known gap: ${key}]`, body) : it(title, body);
  describe(`RemoteOpStore conformance: ${name}`, () => {
    let harness: ConformanceHarness;
    const opened: RemoteOpStore[] = [];
    const remoteFor = (member: { readonly project: string; readonly token: string }) => {
      const remote = harness.remote(member);
      opened.push(remote);
      return remote;
    };
    beforeAll(async () => {
      harness = await makeHarness();
    });
    afterAll(async () => {
      await Promise.all(opened.map((remote) => remote.close()));
      await harness?.dispose();
    });

    test("push", "a push stores every op once and pull returns them exactly, in order", async () => {
      const owner = await harness.project();
      const remote = remoteFor(owner);
      const start = await headOf(remote);
      const ops = makeTestOps(spec(owner), 5);
      const pushed = await remote.push(ops);
      expect(pushed.acked).toEqual(ops.map((op) => op.id));
      expect(pushed.head).toBeGreaterThanOrEqual(start + 5);
      const page = await remote.pull(start, 100);
      const mine = page.ops.filter((entry) => ops.some((op) => op.id === idOf(entry.op)));
      expect(mine.map((entry) => entry.op)).toEqual(ops);
      expect(isAscending(mine.map((entry) => entry.seq))).toBe(true);
    });

    test("received-at", "pull gives each pushed op the server's receive time, within the push window", async () => {
      const owner = await harness.project();
      const remote = remoteFor(owner);
      const ops = makeTestOps(spec(owner), 2);
      const before = Date.now();
      const pushed = await remote.push(ops);
      const after = Date.now();
      const page = await remote.pull(pushed.head - 2, 100);
      const mine = page.ops.filter((entry) => ops.some((op) => op.id === idOf(entry.op)));
      expect(mine.map((entry) => entry.op)).toEqual(ops);
      for (const entry of mine) {
        expect(entry.receivedAt).toBeGreaterThanOrEqual(before - SERVER_CLOCK_SKEW_MS);
        expect(entry.receivedAt).toBeLessThanOrEqual(after + SERVER_CLOCK_SKEW_MS);
      }
    });

    test("re-push", "re-pushing the same ops acks them again and stores nothing new", async () => {
      const owner = await harness.project();
      const remote = remoteFor(owner);
      const ops = makeTestOps(spec(owner), 4);
      const first = await remote.push(ops);
      const again = await remote.push(ops);
      expect(again.acked).toEqual(ops.map((op) => op.id));
      expect(again.head).toBe(first.head);
      const page = await remote.pull(first.head - 4, 100);
      expect(page.ops.filter((entry) => ops.some((op) => op.id === idOf(entry.op)))).toHaveLength(4);
    });

    test("paging", "pull pages are bounded by the limit, ascending and gapless up to the head", async () => {
      const owner = await harness.project();
      const remote = remoteFor(owner);
      const start = await headOf(remote);
      await remote.push(makeTestOps(spec(owner), 25));
      const seqs: number[] = [];
      let after = start;
      for (let round = 0; round < 100; round++) {
        const page = await remote.pull(after, 10);
        if (page.ops.length === 0) {
          expect(after).toBe(page.head);
          break;
        }
        expect(page.ops.length).toBeLessThanOrEqual(10);
        expect(page.ops.map((entry) => entry.seq)).toEqual(page.ops.map((_, i) => after + 1 + i));
        seqs.push(...page.ops.map((entry) => entry.seq));
        after = page.ops.at(-1)?.seq ?? after;
      }
      expect(seqs.length).toBeGreaterThanOrEqual(25);
      expect(seqs[0]).toBe(start + 1);
    });

    test("identity", "identity names the project and a stream id that stays the same", async () => {
      const owner = await harness.project();
      const remote = remoteFor(owner);
      const first = await remote.identity();
      expect(first.project).toBe(owner.project);
      expect(first.stream).not.toBe("");
      expect(first.deployment).not.toBe("");
      expect(await remote.identity()).toEqual(first);
    });

    test("subscription", "a head subscription sees the ops another member pushes", async () => {
      const owner = await harness.project();
      const editor = await harness.invite(owner, `editor-${randomHex(4)}`, "editor");
      const watcher = remoteFor(owner);
      const heads: number[] = [];
      const errors: unknown[] = [];
      const stop = watcher.subscribeHead(
        (head) => heads.push(head),
        (error) => errors.push(error),
      );
      const start = await headOf(watcher);
      await expect.poll(() => heads.length, { timeout: 10_000 }).toBeGreaterThan(0);
      const pushed = await remoteFor(editor).push(makeTestOps(spec(editor), 3));
      expect(pushed.head).toBeGreaterThanOrEqual(start + 3);
      await expect.poll(() => heads.at(-1), { timeout: 10_000 }).toBeGreaterThanOrEqual(pushed.head);
      expect(isAscending(heads)).toBe(true);
      expect(errors).toEqual([]);
      stop();
    });

    test("bad-token", "a bad token is refused as token-refused, not retryable, on every call", async () => {
      const owner = await harness.project();
      const remote = remoteFor({ project: owner.project, token: `not-a-token-${randomHex(8)}` });
      for (const attempt of [remote.push(makeTestOps(spec(owner), 1)), remote.pull(0, 10), remote.identity()]) {
        const error = await refusal(attempt);
        expect(error.reason).toBe("token-refused");
        expect(error.retryable).toBe(false);
      }
      const failed = await new Promise<unknown>((resolve) => remote.subscribeHead(() => undefined, resolve));
      expect(failed).toBeInstanceOf(RemoteError);
      expect((failed as RemoteError).reason).toBe("token-refused");
    });

    test("viewer", "a viewer may pull but a viewer's push is forbidden, not retryable", async () => {
      const owner = await harness.project();
      const viewer = await harness.invite(owner, `viewer-${randomHex(4)}`, "viewer");
      const remote = remoteFor(viewer);
      await expect(remote.pull(0, 1)).resolves.toHaveProperty("head");
      const error = await refusal(remote.push(makeTestOps(spec(viewer), 1)));
      expect(error.reason).toBe("forbidden");
      expect(error.retryable).toBe(false);
    });

    test("id-reused", "an id reused with other content refuses the whole batch as id-reused", async () => {
      const owner = await harness.project();
      const remote = remoteFor(owner);
      const base = spec(owner);
      const [stored] = makeTestOps(base, 1);
      const { head } = await remote.push(makeTestOps(base, 1));
      const fresh = makeTestOps({ ...base, from: 1 }, 1);
      const reused = makeTestOps({ ...base, name: "other content" }, 1);
      const error = await refusal(remote.push([...fresh, ...reused]));
      expect(error.reason).toBe("id-reused");
      expect(error.retryable).toBe(false);
      const page = await remote.pull(head - 1, 100);
      expect(page.ops.map((entry) => idOf(entry.op))).toContain(stored?.id);
      expect(page.ops.map((entry) => idOf(entry.op))).not.toContain(fresh[0]?.id);
    });

    test("invalid-op", "a malformed op is refused as invalid-op, not retryable", async () => {
      const owner = await harness.project();
      const remote = remoteFor(owner);
      const [op] = makeTestOps(spec(owner), 1);
      const broken = { ...op, body: { fields: { name: "" } } } as unknown as NonNullable<typeof op>;
      const error = await refusal(remote.push([broken]));
      expect(error.reason).toBe("invalid-op");
      expect(error.retryable).toBe(false);
    });

    test("actor-mismatch", "an op naming another actor than the token's is refused as invalid-op", async () => {
      const owner = await harness.project();
      const remote = remoteFor(owner);
      const error = await refusal(remote.push(makeTestOps({ ...spec(owner), actor: `not-${owner.actor}` }, 1)));
      expect(error.reason).toBe("invalid-op");
      expect(error.retryable).toBe(false);
    });

    test("clock-ahead", "an op from a clock an hour ahead is refused as clock-ahead, not retryable", async () => {
      const owner = await harness.project();
      const remote = remoteFor(owner);
      const [op] = makeTestOps(spec(owner), 1);
      if (op === undefined) throw new Error("no op");
      const hlc = formatHlc({ wallMs: Date.now() + 3_600_000, counter: 0, replica: op.replica });
      const error = await refusal(remote.push([{ ...op, id: hlc, hlc }]));
      expect(error.reason).toBe("clock-ahead");
      expect(error.retryable).toBe(false);
    });

    test(
      "replica-claimed",
      "another member's op under a replica id already pushed with is refused as replica-claimed; the owner pushes on",
      async () => {
        const owner = await harness.project();
        const squatter = await harness.invite(owner, `editor-${randomHex(4)}`, "editor");
        const mine = spec(owner);
        const ownRemote = remoteFor(owner);
        await ownRemote.push(makeTestOps(mine, 1));
        const squat = makeTestOps({ ...mine, actor: squatter.actor, from: 1 }, 1);
        const error = await refusal(remoteFor(squatter).push(squat));
        expect(error.reason).toBe("replica-claimed");
        expect(error.retryable).toBe(false);
        const own = makeTestOps({ ...mine, from: 1 }, 1);
        expect(own[0]?.id).toBe(squat[0]?.id);
        expect((await ownRemote.push(own)).acked).toEqual(own.map((op) => op.id));
      },
    );

    test("outage", "after the backend goes away and comes back, pushes work again and nothing is lost", async (context) => {
      const outage = harness.outage;
      if (outage === undefined) return context.skip();
      const owner = await harness.project();
      const remote = remoteFor(owner);
      const states: ConnectionState[] = [];
      const heads: number[] = [];
      remote.subscribeConnection((state) => states.push(state));
      remote.subscribeHead(
        (head) => heads.push(head),
        (error) => expect.fail(String(error)),
      );
      await expect.poll(() => states.at(-1), { timeout: 10_000 }).toBe("connected");
      const before = makeTestOps(spec(owner), 3);
      const start = (await remote.push(before)).head - 3;

      await outage.stop();
      const after = makeTestOps({ ...spec(owner), from: 3 }, 3);
      const during = await remote.push(after).then(
        () => undefined,
        (error: unknown) => error,
      );
      if (during !== undefined) {
        expect(during).toBeInstanceOf(RemoteError);
        expect((during as RemoteError).retryable).toBe(true);
      }
      await expect.poll(() => states.at(-1), { timeout: 10_000 }).toBe("disconnected");
      await outage.start();

      const pushed = await retry(() => remote.push(after), 30_000);
      expect(pushed.acked).toEqual(after.map((op) => op.id));
      await expect.poll(() => states.at(-1), { timeout: 30_000 }).toBe("connected");
      await expect.poll(() => heads.at(-1), { timeout: 30_000 }).toBeGreaterThanOrEqual(pushed.head);
      const page = await remote.pull(start, 100);
      const ids = page.ops.map((entry) => idOf(entry.op));
      for (const op of [...before, ...after]) expect(ids).toContain(op.id);
    });
  });
}

/** A real deployment's clock is not ours: NTP keeps them well within this. Local targets share our clock. */
const SERVER_CLOCK_SKEW_MS = 2_000;

function spec(member: ConformanceMember): TestOpsSpec {
  return { project: member.project, actor: member.actor, replica: randomHex(16) };
}

async function headOf(remote: RemoteOpStore): Promise<number> {
  return (await remote.pull(0, 1)).head;
}

async function refusal(attempt: Promise<unknown>): Promise<RemoteError> {
  const error = await attempt.then(
    () => expect.fail("expected the remote to refuse"),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RemoteError);
  return error as RemoteError;
}

/** Retries a retryable failure (as the sync engine would) until `timeoutMs`. */
async function retry<T>(attempt: () => Promise<T>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof RemoteError) || !error.retryable || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

function idOf(op: unknown): unknown {
  return typeof op === "object" && op !== null ? (op as { id?: unknown }).id : undefined;
}

function isAscending(values: ReadonlyArray<number>): boolean {
  return values.every((value, i) => i === 0 || value > (values[i - 1] ?? -Infinity));
}

function randomHex(chars: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(Math.ceil(chars / 2)));
  return [...bytes]
    .map((b) => b.toString(16).padStart(2, "0"))
    .join("")
    .slice(0, chars);
}
