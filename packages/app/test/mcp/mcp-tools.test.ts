/**
 * qc's MCP server through the SDK's own Client (InMemoryTransport) on a
 * real project file: every tool is listed with its schemas and all four
 * annotations, returns structured content that matches its output schema,
 * and refuses bad arguments with an isError result that says what to do
 * and changes nothing; --read-only offers no tool that writes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectMcp, makeProjectFile, tempDir, textOf, type McpSession } from "../support/mcp-session.js";

const EDIT_TOOLS = ["batch_apply_codes", "configure_cloud_sync", "create_code", "resolve_conflict", "undo", "write_memo"];
const READ_TOOLS = [
  "blame",
  "get_code",
  "get_history",
  "get_source",
  "get_state_at",
  "get_sync_settings",
  "get_sync_status",
  "list_codes",
  "list_conflicts",
  "list_members",
  "list_segments",
  "list_sources",
  "search_text",
  "sync_now",
];
const INTERVIEW = "I hope the clinic stays open. Without it I would have no hope at all.";

const dir = tempDir();
let mcp: McpSession;
let source: string;

beforeAll(async () => {
  const path = await makeProjectFile(dir.path);
  mcp = await connectMcp(path);
  source = mcp.project.replica.commands.importTextSource({ name: "Interview 1", text: INTERVIEW });
});

afterAll(async () => {
  await mcp?.close();
  dir.remove();
});

/** The tool's structured result; fails the test with the message if it is an error. */
async function ok<T = Record<string, unknown>>(name: string, args: Record<string, unknown> = {}): Promise<T> {
  const result = await mcp.call(name, args);
  if (result.isError === true) throw new Error(`${name} failed: ${textOf(result)}`);
  expect(result.structuredContent).toBeDefined();
  return result.structuredContent as T;
}

/** The tool refuses: an isError result matching `message`, and the project file did not change. */
async function refused(name: string, args: Record<string, unknown>, message: RegExp): Promise<void> {
  const before = mcp.project.replica.read.canonicalState();
  const outbox = mcp.project.replica.sync.outboxSize();
  const settings = JSON.stringify(mcp.project.settings());
  const result = await mcp.call(name, args);
  expect(result.isError).toBe(true);
  expect(textOf(result)).toMatch(message);
  expect(mcp.project.replica.read.canonicalState()).toBe(before);
  expect(mcp.project.replica.sync.outboxSize()).toBe(outbox);
  expect(JSON.stringify(mcp.project.settings())).toBe(settings);
}

describe("qc mcp tools", () => {
  it("lists every tool with input and output schemas and all four annotations", async () => {
    const { tools } = await mcp.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([...EDIT_TOOLS, ...READ_TOOLS].sort());
    for (const tool of tools) {
      expect(tool.inputSchema.type).toBe("object");
      expect(tool.outputSchema?.type).toBe("object");
      expect(tool.description?.length ?? 0).toBeGreaterThan(20);
      const a = tool.annotations ?? {};
      expect([typeof a.readOnlyHint, typeof a.destructiveHint, typeof a.idempotentHint, typeof a.openWorldHint]).toEqual([
        "boolean",
        "boolean",
        "boolean",
        "boolean",
      ]);
    }
    const byName = new Map(tools.map((t) => [t.name, t.annotations]));
    expect(byName.get("list_codes")).toMatchObject({ readOnlyHint: true, openWorldHint: false });
    expect(byName.get("batch_apply_codes")).toMatchObject({ readOnlyHint: false, destructiveHint: false, openWorldHint: false });
    expect(byName.get("configure_cloud_sync")).toMatchObject({ openWorldHint: true });
    expect(byName.get("sync_now")).toMatchObject({ openWorldHint: true });
  });

  it("get_sync_status and get_sync_settings: cloud sync off, SQLite on this computer, no token", async () => {
    const status = await ok("get_sync_status");
    expect(status).toMatchObject({
      state: "disabled",
      toPush: expect.any(Number),
      cloudSyncEnabled: false,
      convexUrl: null,
      primaryStorage: "SQLite (Local)",
    });
    expect(textOf(await mcp.call("get_sync_status"))).toMatch(/cloud sync off/);
    expect(await ok("get_sync_settings")).toMatchObject({
      primaryStorage: "SQLite (Local)",
      cloudSyncEnabled: false,
      convexUrl: null,
      token: null,
      actor: "alice",
    });
  });

  it("configure_cloud_sync stores a good URL and refuses a bad one with the reason, storing nothing", async () => {
    await refused(
      "configure_cloud_sync",
      { enabled: true, convex_url: "happy-otter.convex.cloud" },
      /must start with http:\/\/ or https:\/\/, e\.g\. https:\/\/.*\[AppError\/invalid-url\]/,
    );
    await refused(
      "configure_cloud_sync",
      { enabled: true, convex_url: "https://happy-otter-123.convex.site" },
      /use the deployment URL ending in \.convex\.cloud/,
    );
    await refused("configure_cloud_sync", { enabled: "yes" }, /Input validation error/);
    expect(await ok("configure_cloud_sync", { enabled: false, convex_url: "http://127.0.0.1:9" })).toMatchObject({
      cloudSyncEnabled: false,
      convexUrl: "http://127.0.0.1:9",
    });
    await refused("sync_now", {}, /cloud sync is off.*configure_cloud_sync/);
  });

  it("create_code, list_codes, get_code: a default colour, a category by name, refusals change nothing", async () => {
    const category = mcp.project.replica.commands.createCategory({ name: "Feelings", color: "#aa0000" });
    const hope = await ok<{ id: string; color: string; category: string | null }>("create_code", { name: "Hope", category: "Feelings" });
    expect(hope).toMatchObject({ name: "Hope", category, segments: 0, live: true });
    expect(hope.color).toMatch(/^#[0-9a-f]{6}$/);
    const fear = await ok<{ id: string }>("create_code", { name: "Fear", color: "#112233" });
    const { codes } = await ok<{ codes: Array<{ name: string; children: Array<{ name: string }> }> }>("list_codes");
    expect(codes.map((c) => c.name)).toEqual(["Fear", "Feelings"]);
    expect(codes[1]?.children.map((c) => c.name)).toEqual(["Hope"]);
    expect(await ok("get_code", { code_id: fear.id })).toMatchObject({ name: "Fear", color: "#112233", category: null });
    await refused("create_code", { name: "Bad", color: "red" }, /#RRGGBB.*\[CommandError\/invalid-color\]/);
    await refused("create_code", { name: "Lost", category: "Nowhere" }, /no category with the id or name "Nowhere"/);
    await refused("create_code", { name: "" }, /Input validation error/);
    await refused("get_code", { code_id: "nope" }, /no code with the id or name "nope"/);
  });

  it("batch_apply_codes codes many passages at once, all or nothing, by the agent", async () => {
    const hope = (await ok<{ id: string }>("create_code", { name: "Hope 2" })).id;
    const passages = (
      await ok<{ passages: Array<{ source: string; start: number; end: number; text: string }> }>("search_text", { phrase: "HOPE" })
    ).passages;
    expect(passages.map((p) => [p.text, p.start])).toEqual([
      ["hope", 2],
      ["hope", INTERVIEW.lastIndexOf("hope")],
    ]);
    const operations = passages.map((p, i) => ({
      code_id: hope,
      source_id: p.source,
      start_position: p.start,
      end_position: p.end,
      ...(i === 0 ? { memo: "first", important: true } : {}),
    }));
    await refused(
      "batch_apply_codes",
      { operations: [...operations, { code_id: hope, source_id: source, start_position: 60, end_position: 999 }] },
      /operation #2: segment end 999 is outside.*nothing was coded/,
    );
    await refused("batch_apply_codes", { operations: [{ ...operations[0], code_id: "ghost" }] }, /operation #0: .*no code/);
    await refused("batch_apply_codes", { operations: [] }, /Input validation error/);
    const done = await ok<{ count: number; segments: Array<{ text: string; coder: string; memo: string; important: boolean }> }>(
      "batch_apply_codes",
      { operations },
    );
    expect(done.count).toBe(2);
    expect(done.segments.map((s) => [s.text, s.coder, s.memo, s.important])).toEqual([
      ["hope", "agent:alice", "first", true],
      ["hope", "agent:alice", "", false],
    ]);
    const listed = await ok<{ segments: Array<{ code: string }> }>("list_segments", { coder: "agent:alice" });
    expect(listed.segments).toHaveLength(2);
    expect((await ok<{ segments: unknown[] }>("list_segments", { code_id: hope, source_id: source })).segments).toHaveLength(2);
    expect((await ok<{ segments: unknown[] }>("list_segments", { coder: "alice" })).segments).toHaveLength(0);
    const got = await ok<{ text: string; segments: number; codedSegments: unknown[] }>("get_source", { source_id: "Interview 1" });
    expect(got.text).toBe(INTERVIEW);
    expect(got.segments).toBe(2);
    expect(got.codedSegments).toHaveLength(2);
    expect((await ok<{ sources: Array<{ name: string; segments: number }> }>("list_sources")).sources).toEqual([
      expect.objectContaining({ name: "Interview 1", segments: 2 }),
    ]);
  });

  it("write_memo replaces a memo; history, blame and get_state_at show who did what and when", async () => {
    const code = (await ok<{ id: string }>("create_code", { name: "Memo me" })).id;
    expect(await ok("write_memo", { entity_type: "code", entity_id: code, text: "first thoughts" })).toMatchObject({
      memo: "first thoughts",
    });
    expect(await ok("write_memo", { entity_type: "code", entity_id: code, text: "second" })).toMatchObject({ memo: "second" });
    await refused("write_memo", { entity_type: "code", entity_id: "nope", text: "x" }, /no code/);
    await refused("write_memo", { entity_type: "planet", entity_id: code, text: "x" }, /Input validation error/);
    const { ops } = await ok<{
      ops: Array<{ actor: string; kind: string; authoredAt: string; receivedAt?: string; receivedLate: boolean }>;
    }>("get_history", { entity_type: "code", entity_id: code });
    expect(ops.map((o) => [o.actor, o.kind])).toEqual([
      ["agent:alice", "create"],
      ["agent:alice", "text"],
      ["agent:alice", "text"],
      ["agent:alice", "text"],
    ]);
    expect(ops.every((o) => o.receivedLate === false && typeof o.authoredAt === "string" && o.receivedAt === undefined)).toBe(true);
    const all = await ok<{ ops: Array<{ actor: string }> }>("get_history", { actor: "agent:alice", limit: 3 });
    expect(all.ops).toHaveLength(3);
    expect(new Set(all.ops.map((o) => o.actor))).toEqual(new Set(["agent:alice"]));
    const { fields } = await ok<{ fields: Record<string, Array<{ actor: string }>> }>("blame", {
      entity_type: "code",
      entity_id: "Memo me",
    });
    expect(fields["name"]?.[0]?.actor).toBe("agent:alice");
    const { codes } = await ok<{ codes: unknown[] }>("get_state_at", { at: "2000-01-01T00:00:00Z" });
    expect(codes).toEqual([]);
    const now = await ok<{ codes: Array<{ name: string }> }>("get_state_at", { at: new Date(Date.now() + 60_000).toISOString() });
    expect(now.codes.map((c) => c.name)).toContain("Memo me");
    await refused("get_state_at", { at: "last tuesday" }, /ISO-8601 time/);
  });

  it("undo takes back the agent's last edits with new ops; the history keeps both", async () => {
    const code = (await ok<{ id: string }>("create_code", { name: "Regret" })).id;
    await ok("write_memo", { entity_type: "code", entity_id: code, text: "too hasty" });
    await refused("undo", {}, /either op_id .* or last/);
    await refused("undo", { op_id: "no-such-op" }, /no op with id/);
    const undone = await ok<{ undone: string[]; ops: string[] }>("undo", { last: 1 });
    expect(undone.undone).toHaveLength(1);
    expect(await ok("get_code", { code_id: code })).toMatchObject({ memo: "", live: true });
    const { ops } = await ok<{ ops: Array<{ id: string; kind: string; undoes?: string }> }>("get_history", {
      entity_type: "code",
      entity_id: code,
    });
    const created = ops.find((o) => o.kind === "create")!;
    await ok("undo", { op_id: created.id });
    expect(await ok("get_code", { code_id: code })).toMatchObject({ live: false });
    expect(
      (await ok<{ ops: Array<{ undoes?: string }> }>("get_history", { entity_type: "code", entity_id: code })).ops.filter(
        (o) => o.undoes !== undefined,
      ).length,
    ).toBeGreaterThanOrEqual(2);
  });

  it("list_conflicts and resolve_conflict; list_members needs a team; errors never crash the server", async () => {
    expect(await ok("list_conflicts")).toEqual({ conflicts: [] });
    await refused("resolve_conflict", { conflict_id: "nope" }, /conflict/);
    await refused("list_members", {}, /no sync server is set|not on a sync server/);
    await refused("search_text", { phrase: "   " }, /empty/);
    expect((await ok<{ passages: unknown[] }>("search_text", { phrase: "absent words" })).passages).toEqual([]);
    expect(await ok("get_sync_status")).toMatchObject({ state: "disabled" });
  });
});

describe("qc mcp --read-only", () => {
  it("offers only the tools that change nothing, and the status resource", async () => {
    const path = await makeProjectFile(dir.path, "read-only.qc");
    const ro = await connectMcp(path, { readOnly: true });
    try {
      const { tools } = await ro.client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual(READ_TOOLS);
      for (const t of tools.filter((t) => t.name !== "sync_now")) expect(t.annotations?.readOnlyHint).toBe(true);
      const result = await ro.call("create_code", { name: "Hope" });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(/not found/);
      expect(ro.project.replica.read.entities("code")).toEqual([]);
      expect((await ro.client.listResources()).resources.map((r) => r.uri)).toEqual(["qc://sync/status"]);
    } finally {
      await ro.close();
    }
  });
});
