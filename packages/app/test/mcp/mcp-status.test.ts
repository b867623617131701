/**
 * The qc://sync/status resource follows the engine's status stream: a
 * subscribed client gets `notifications/resources/updated` for every status
 * change while cloud sync goes disabled → syncing → synced → offline (the
 * local Convex-protocol backend stopped) → synced again (restarted), and
 * none after it unsubscribes. Each wait is for a condition, with a bound.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalBackend, type LocalBackend } from "@qc/convex-backend/testing";
import { waitFor } from "@qc/core/testing";
import type { StatusView } from "../../src/project/index.js";
import { connectMcp, makeProjectFile, tempDir, textOf, type McpSession } from "../support/mcp-session.js";

const FAST_RETRY = { baseDelay: "20 millis", maxDelay: "300 millis", requestTimeout: "5 seconds" } as const;
const URI = "qc://sync/status";

const dir = tempDir();
let backend: LocalBackend;
let mcp: McpSession;
/** Every view the status stream sent, in order. */
const seen: Array<StatusView> = [];

/** Resolves once the stream's status satisfies `ok` (now or at a later change). */
function until(ok: (view: StatusView) => boolean, what: string, boundMs = 30_000): Promise<StatusView> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`status never became ${what}; states seen: ${seen.map((v) => v.state).join(" ")}`)),
      boundMs,
    );
    const check = (view: StatusView) => {
      if (!ok(view)) return;
      clearTimeout(timer);
      stop();
      resolve(view);
    };
    const stop = mcp.status.subscribe(check);
    check(mcp.status.current());
  });
}

async function readStatus(): Promise<StatusView> {
  const { contents } = await mcp.client.readResource({ uri: URI });
  return JSON.parse((contents[0] as { text: string }).text) as StatusView;
}

beforeAll(async () => {
  backend = await startLocalBackend({ host: "127.0.0.1", port: 0 });
  mcp = await connectMcp(await makeProjectFile(dir.path));
  mcp.status.subscribe((view) => seen.push(view));
});

afterAll(async () => {
  await mcp?.close();
  await backend?.stop();
  dir.remove();
});

describe("qc://sync/status", () => {
  it("is listed, readable, and subscribable (the server declares resources.subscribe)", async () => {
    expect(mcp.client.getServerCapabilities()?.resources?.subscribe).toBe(true);
    expect((await mcp.client.listResources()).resources).toEqual([expect.objectContaining({ uri: URI, mimeType: "application/json" })]);
    expect(await readStatus()).toMatchObject({ state: "disabled", cloudSyncEnabled: false });
  });

  it("sends an update for every status change: disabled → syncing → synced → offline → synced", async () => {
    // Not subscribed yet: a change sends nothing (the ping orders the check after any notification).
    mcp.project.replica.commands.createCode({ name: "Before", color: "#123456" });
    await until((v) => v.toPush > 0, "with edits to push");
    await mcp.client.ping();
    expect(mcp.updates).toEqual([]);

    await mcp.client.subscribeResource({ uri: URI });
    const configured = await mcp.call("configure_cloud_sync", { enabled: false, convex_url: backend.url });
    expect(configured.isError, textOf(configured)).not.toBe(true);
    await mcp.project.team.create();
    mcp.project.startSync({ retry: FAST_RETRY });
    // The stream notices the engine starting on the file watch's next tick, with a view still "disabled" but now synced
    // by this process: that notice is not part of enabling, so counting starts after it.
    await waitFor("the stream to see this process's engine", () => seen.at(-1)?.syncedBy === "this process");
    const from = seen.length;
    const updatesFrom = mcp.updates.length;
    const enabled = await mcp.call("configure_cloud_sync", { enabled: true });
    expect(enabled.isError, textOf(enabled)).not.toBe(true);
    await until((v) => v.state === "synced" && v.toPush === 0, "synced");
    // "syncing" is transient: a fast push may go from connecting straight to synced, so it is allowed, not required.
    const enabling = seen.slice(from).map((v) => v.state);
    expect(enabling.length).toBeGreaterThan(0);
    expect(
      enabling.every((state) => ["connecting", "syncing", "synced"].includes(state)),
      enabling.join(" → "),
    ).toBe(true);
    expect(await readStatus()).toMatchObject({
      state: "synced",
      toPush: 0,
      cloudSyncEnabled: true,
      convexUrl: backend.url,
      syncedBy: "this process",
    });

    await backend.stop();
    await until((v) => v.state === "offline", "offline");
    mcp.project.replica.commands.createCode({ name: "Offline edit", color: "#654321" });
    expect(await readStatus()).toMatchObject({ state: "offline", toPush: 1 });

    await backend.restart();
    await until((v) => v.state === "synced" && v.toPush === 0, "synced again");
    await mcp.client.ping();
    const states = seen.slice(from).map((v) => v.state);
    expect(states.indexOf("offline")).toBeGreaterThan(states.indexOf("synced"));
    expect(states.lastIndexOf("synced")).toBeGreaterThan(states.indexOf("offline"));
    // One notification per change the stream sent since the subscription.
    expect(mcp.updates.length - updatesFrom).toBe(seen.length - from);
    expect(new Set(mcp.updates)).toEqual(new Set([URI]));
    expect(JSON.stringify(seen)).not.toContain(mcp.project.settings().token!);
  });

  it("sync_now returns the status once caught up; unsubscribing stops the updates", async () => {
    mcp.project.replica.commands.createCode({ name: "After", color: "#abcdef" });
    const result = await mcp.call("sync_now", { timeout_seconds: 30 });
    expect(result.isError, textOf(result)).not.toBe(true);
    expect(result.structuredContent).toMatchObject({ state: "synced", toPush: 0 });
    await mcp.client.unsubscribeResource({ uri: URI });
    await mcp.client.ping();
    const count = mcp.updates.length;
    await mcp.call("configure_cloud_sync", { enabled: false });
    await until((v) => v.state === "disabled", "disabled");
    await mcp.client.ping();
    expect(mcp.updates.length).toBe(count);
  });

  it("sync_now gives up after its timeout with the status in words while the server is down", async () => {
    await mcp.call("configure_cloud_sync", { enabled: true });
    await until((v) => v.state === "synced", "synced");
    await backend.stop();
    mcp.project.replica.commands.createCode({ name: "Stuck", color: "#abcdef" });
    const result = await mcp.call("sync_now", { timeout_seconds: 1 });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/not caught up after 1 s .*your edits are kept.*\[AppError\/sync-timeout\]/);
    await backend.restart();
  });
});
