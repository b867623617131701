/**
 * A mutation resent on a new socket with the same (sessionId, requestId) —
 * what ConvexClient does after a reconnect — returns the stored result and
 * runs nothing twice; another request under the same ids (a socket
 * presenting someone else's session id) never gets that result. Speaks the
 * raw protocol to control the ids.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { ConvexHttpClient } from "convex/browser";
import { qcApi } from "../../src/qc-api.js";
import { startLocalBackend, type LocalBackend } from "../../src/local-backend/server.js";

interface Frame {
  readonly type: string;
  readonly [key: string]: unknown;
}

async function openSession(url: string, sessionId: string) {
  const ws = new WebSocket(`${url.replace("http", "ws")}/api/1.48.0/sync`);
  const frames: Frame[] = [];
  ws.on("message", (data) => frames.push(JSON.parse(data.toString()) as Frame));
  await new Promise((resolve) => ws.once("open", resolve));
  ws.send(JSON.stringify({ type: "Connect", sessionId, connectionCount: 0, lastCloseReason: null, clientTs: 0 }));
  ws.send(JSON.stringify({ type: "ModifyQuerySet", baseVersion: 0, newVersion: 1, modifications: [] }));
  const next = async (type: string) => {
    await expect.poll(() => frames.some((f) => f.type === type), { timeout: 30_000 }).toBe(true);
    return frames.splice(
      frames.findIndex((f) => f.type === type),
      1,
    )[0] as Frame;
  };
  return { ws, next };
}

describe("mutation deduplication by (sessionId, requestId)", () => {
  let backend: LocalBackend;
  beforeAll(async () => {
    backend = await startLocalBackend();
  });
  afterAll(async () => {
    await backend.stop();
  });

  it("a resent mutation returns the first result and runs once", async () => {
    const create = {
      type: "Mutation",
      requestId: 0,
      udfPath: "projects:create",
      args: [{ project: "dedup-1", name: "D", actor: "ann" }],
    };
    const first = await openSession(backend.url, "session-a");
    first.ws.send(JSON.stringify(create));
    const response = await first.next("MutationResponse");
    expect(response["success"]).toBe(true);
    first.ws.close();

    const second = await openSession(backend.url, "session-a");
    second.ws.send(JSON.stringify(create));
    const again = await second.next("MutationResponse");
    expect(again).toEqual(response);
    const transition = await second.next("Transition");
    expect(transition["endVersion"]).toMatchObject({ ts: response["ts"] });
    second.ws.close();

    // Ran once: a second real run would fail (the project exists) or hand out another token.
    const { token } = response["result"] as { token: string };
    const head = await new ConvexHttpClient(backend.url).query(qcApi.ops.head, { token, project: "dedup-1" });
    expect(head.head).toBe(0);
  });

  it("a socket presenting another socket's session id does not receive its stored result (an invite token)", async () => {
    const http = new ConvexHttpClient(backend.url, { logger: false });
    const { token: owner } = await http.mutation(qcApi.projects.create, { project: "dedup-2", name: "D", actor: "ann" });
    const alice = await openSession(backend.url, "session-alice");
    alice.ws.send(
      JSON.stringify({
        type: "Mutation",
        requestId: 0,
        udfPath: "members:invite",
        args: [{ token: owner, project: "dedup-2", actor: "bob", role: "editor" }],
      }),
    );
    const invited = await alice.next("MutationResponse");
    const { token: bobToken } = invited["result"] as { token: string };
    alice.ws.close();

    // Mallory, without the owner's token, reuses alice's session and request ids.
    const mallory = await openSession(backend.url, "session-alice");
    mallory.ws.send(
      JSON.stringify({
        type: "Mutation",
        requestId: 0,
        udfPath: "members:invite",
        args: [{ token: "f".repeat(64), project: "dedup-2", actor: "eve", role: "editor" }],
      }),
    );
    const answer = await mallory.next("MutationResponse");
    mallory.ws.close();
    expect(JSON.stringify(answer)).not.toContain(bobToken);
    expect(answer).toMatchObject({ success: false, errorData: { code: "token-refused" } });
  });
});
