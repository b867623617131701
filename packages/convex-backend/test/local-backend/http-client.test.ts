/**
 * The local backend answers the real ConvexHttpClient (convex 1.48.0):
 * values round-trip, ConvexError data reaches the caller, data survives a
 * restart on the same port.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConvexHttpClient } from "convex/browser";
import { qcApi as api } from "../../src/qc-api.js";
import { ConvexError } from "convex/values";
import { startLocalBackend, type LocalBackend } from "../../src/local-backend/server.js";

describe("local backend over HTTP (ConvexHttpClient)", () => {
  let backend: LocalBackend;
  beforeAll(async () => {
    backend = await startLocalBackend();
  });
  afterAll(async () => {
    await backend.stop();
  });

  it("runs mutations and queries with Convex value encoding", async () => {
    const client = new ConvexHttpClient(backend.url);
    const { token, stream } = await client.mutation(api.projects.create, { project: "p1", name: "P", actor: "ann" });
    expect(typeof token).toBe("string");
    const head = await client.query(api.ops.head, { token, project: "p1" });
    expect(head).toEqual({ project: "p1", stream, head: 0 });
  });

  it("delivers ConvexError data as errorData", async () => {
    const client = new ConvexHttpClient(backend.url);
    const error = await client.query(api.ops.head, { token: "nope", project: "p1" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConvexError);
    expect((error as ConvexError<{ code: string }>).data.code).toBe("token-refused");
  });

  it("keeps data across restart on the same port", async () => {
    const client = new ConvexHttpClient(backend.url);
    const { token } = await client.mutation(api.projects.create, { project: "p2", name: "P", actor: "ann" });
    await backend.restart();
    // The restart drops pooled keep-alive sockets; the first request may find one dead.
    const head = await client
      .query(api.ops.head, { token, project: "p2" })
      .catch(() => client.query(api.ops.head, { token, project: "p2" }));
    expect(head.head).toBe(0);
  });

  it("answers /version with the pinned convex version", async () => {
    const res = await fetch(`${backend.url}/version`);
    expect(await res.text()).toBe("1.48.0");
  });
});

describe("local backend function visibility", () => {
  let backend: LocalBackend;
  beforeAll(async () => {
    backend = await startLocalBackend();
  });
  afterAll(async () => {
    await backend.stop();
  });

  it.each([
    ["a missing function", "ops:nope", "query"],
    ["a query called as a mutation", "ops:head", "mutation"],
  ])("refuses %s as Convex does", async (_what, path, type) => {
    const res = await fetch(`${backend.url}/api/${type}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ path, format: "convex_encoded_json", args: [{}] }),
    });
    expect(res.status).toBe(560);
    expect(((await res.json()) as { errorMessage: string }).errorMessage).toMatch(/Could not find public function/);
  });
});
