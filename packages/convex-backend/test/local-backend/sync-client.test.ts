/**
 * The local backend speaks enough of the sync protocol for the real
 * ConvexClient (convex 1.48.0) over a real socket: subscriptions update when
 * another client commits, mutations resolve, query failures reach onError
 * with ConvexError data, and a subscription survives a backend restart.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConvexClient, ConvexHttpClient } from "convex/browser";
import { qcApi as api } from "../../src/qc-api.js";
import { ConvexError } from "convex/values";
import { startLocalBackend, type LocalBackend } from "../../src/local-backend/server.js";
import { makeTestOps } from "@qc/core/testing/pure";

interface Head {
  readonly head: number;
}

describe("local backend over the sync socket (ConvexClient)", () => {
  let backend: LocalBackend;
  let owner: { token: string; project: string; actor: string };
  const clients: ConvexClient[] = [];
  const newClient = () => {
    const client = new ConvexClient(backend.url, { logger: false });
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    backend = await startLocalBackend();
    const http = new ConvexHttpClient(backend.url);
    const { token } = await http.mutation(api.projects.create, { project: "sync-1", name: "S", actor: "ann" });
    owner = { token, project: "sync-1", actor: "ann" };
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await backend.stop();
  });

  it("a subscription sees ops another client pushes", async () => {
    const heads: number[] = [];
    const client = newClient();
    const seen = (n: number) => expect.poll(() => heads.at(-1), { timeout: 20_000 }).toBe(n);
    const stop = client.onUpdate(
      api.ops.head,
      { token: owner.token, project: owner.project },
      (value: Head) => heads.push(value.head),
      (error) => expect.fail(String(error)),
    );
    await seen(0);
    const http = new ConvexHttpClient(backend.url);
    await http.mutation(api.ops.push, { token: owner.token, project: owner.project, ops: makeTestOps(owner, 3) });
    await seen(3);
    stop();
  });

  it("a ConvexClient mutation resolves with its result", async () => {
    const client = newClient();
    const ops = makeTestOps({ ...owner, from: 10 }, 2);
    const result = await client.mutation(api.ops.push, { token: owner.token, project: owner.project, ops });
    expect(result).toEqual({ acked: ops.map((op) => op.id), head: 5 });
  });

  it("a failed mutation rejects with ConvexError data", async () => {
    const client = newClient();
    const error = await client.mutation(api.ops.push, { token: "bad", project: owner.project, ops: [] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConvexError);
    expect((error as ConvexError<{ code: string }>).data.code).toBe("token-refused");
  });

  it("a failing query reaches onError with ConvexError data", async () => {
    const client = newClient();
    const error = await new Promise<unknown>((resolve) => {
      client.onUpdate(api.ops.head, { token: "bad", project: owner.project }, () => undefined, resolve);
    });
    expect(error).toBeInstanceOf(ConvexError);
    expect((error as ConvexError<{ code: string }>).data.code).toBe("token-refused");
  });

  it("Authenticate is accepted (identity ignored) and subscriptions keep working", async () => {
    const client = newClient();
    const jwt = [{ alg: "none" }, { sub: "ann", iat: 0, exp: 4_102_444_800 }]
      .map((part) => Buffer.from(JSON.stringify(part)).toString("base64url"))
      .concat("")
      .join(".");
    const authenticated = new Promise<boolean>((resolve) => client.setAuth(() => Promise.resolve(jwt), resolve));
    const head = await client.query(api.ops.head, { token: owner.token, project: owner.project });
    expect(head.project).toBe(owner.project);
    expect(await authenticated).toBe(true);
  });

  it("a subscription resumes after the backend restarts, with no data lost", async () => {
    const heads: number[] = [];
    const client = newClient();
    client.onUpdate(
      api.ops.head,
      { token: owner.token, project: owner.project },
      (value: Head) => heads.push(value.head),
      (error) => expect.fail(String(error)),
    );
    await expect.poll(() => heads.at(-1), { timeout: 20_000 }).toBe(5);
    await backend.stop();
    await expect.poll(() => client.connectionState().isWebSocketConnected, { timeout: 20_000 }).toBe(false);
    await backend.restart();
    const pushed = client.mutation(api.ops.push, {
      token: owner.token,
      project: owner.project,
      ops: makeTestOps({ ...owner, from: 20 }, 1),
    });
    await expect(pushed).resolves.toMatchObject({ head: 6 });
    await expect.poll(() => heads.at(-1), { timeout: 20_000 }).toBe(6);
    expect(client.connectionState().isWebSocketConnected).toBe(true);
  });
});
