/**
 * `qc mcp` as a real child process, spawned by the SDK's StdioClientTransport
 * on a real project file while another process (`qc sync`) has the same file
 * open and runs its sync engine: stdout carries only JSON-RPC (even while a
 * module in the process keeps writing to stdout), the status
 * names the syncing process, and an edit made through MCP (by agent:Ana)
 * reaches Ben's replica through the local Convex-protocol backend. When
 * qc sync dies (SIGKILL: its lease is left behind, naming a pid that is
 * gone), qc mcp takes the sync role and syncs the agent's next edit itself.
 */
import { type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { startLocalBackend, type LocalBackend } from "@qc/convex-backend/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openProject } from "../../src/project/index.js";
import { makeQcRunner, type QcRunner } from "../support/cli.js";
import { textOf } from "../support/mcp-session.js";

const QC_BIN = fileURLToPath(new URL("../../bin/qc.mjs", import.meta.url));
const NOISY = fileURLToPath(new URL("./fixtures/noisy-stdout.mjs", import.meta.url));
const TEXT = "We waited three days for the water to go down. The neighbours helped us.";

let qc: QcRunner;
let backend: LocalBackend;
let syncer: ChildProcess | undefined;
let client: Client | undefined;

beforeAll(async () => {
  [qc, backend] = await Promise.all([makeQcRunner(), startLocalBackend()]);
});
afterAll(async () => {
  await client?.close();
  if (syncer !== undefined && syncer.exitCode === null) {
    const exited = new Promise((resolve) => syncer!.once("exit", resolve));
    syncer.kill("SIGINT");
    await exited;
  }
  await backend?.stop();
  qc?.cleanup();
});

async function qcOk(args: ReadonlyArray<string>): Promise<string> {
  const result = await qc.run(args);
  if (result.code !== 0) throw new Error(`qc ${args.join(" ")} exited ${result.code}: ${result.stderr}`);
  return result.stdout;
}

/** Waits for a JSON status line with `state` on the child's stdout (`qc sync --json`). */
function untilState(child: ChildProcess, state: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let buffer = "";
    const onData = (d: Buffer) => {
      buffer += d.toString();
      if (buffer.split("\n").some((line) => line.includes(`"state":"${state}"`))) {
        child.stdout!.off("data", onData);
        resolve();
      }
    };
    child.stdout!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`qc sync exited ${code} before ${state}`)));
  });
}

async function segmentsIn(file: string): Promise<ReadonlyArray<{ text: string; coder: string }>> {
  const project = openProject(join(qc.dir, file), {});
  try {
    return project.replica.read.segments().map((s) => ({ text: s.text, coder: s.coder }));
  } finally {
    await project.close();
  }
}

describe("qc mcp over stdio, beside qc sync on the same file", () => {
  it("serves JSON-RPC on stdout while qc sync syncs the file; an agent's coding reaches a teammate", async () => {
    await qcOk(["init", "ana.qc", "--name", "Flood study", "--actor", "Ana"]);
    const setup = openProject(join(qc.dir, "ana.qc"), {});
    const source = setup.replica.commands.importTextSource({ name: "Interview 1", text: TEXT });
    await setup.close();
    await qcOk(["settings", "set", "convex-url", backend.url, "-p", "ana.qc"]);
    await qcOk(["settings", "set", "cloud-sync", "on", "-p", "ana.qc"]);
    await qcOk(["team", "create", "-p", "ana.qc"]);
    const { invite } = await qc.json<{ invite: string }>(["team", "invite", "Ben", "--role", "editor", "-p", "ana.qc"]);
    await qcOk(["join", invite, "ben.qc", "--actor", "Ben"]);

    syncer = qc.spawn(["sync", "--json", "-p", "ana.qc"]);
    await untilState(syncer, "synced");

    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [QC_BIN, "mcp", "--project", join(qc.dir, "ana.qc")],
      cwd: qc.dir,
      // A preloaded module keeps writing to stdout: the guard must keep JSON-RPC clean.
      env: { HOME: qc.dir, XDG_CONFIG_HOME: join(qc.dir, ".config"), NODE_OPTIONS: `--import=${NOISY}` },
      stderr: "pipe",
    });
    let stderr = "";
    transport.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
    const errors: Array<string> = [];
    client = new Client({ name: "qc-stdio-test", version: "0.0.0" });
    client.onerror = (error) => errors.push(error.message);
    await client.connect(transport);
    const call = async (name: string, args: Record<string, unknown> = {}) => {
      const result = (await client!.callTool({ name, arguments: args })) as CallToolResult;
      if (result.isError === true) throw new Error(`${name}: ${textOf(result)}`);
      return result.structuredContent as Record<string, unknown>;
    };

    expect((await client.listTools()).tools.map((t) => t.name)).toContain("batch_apply_codes");
    expect(await call("get_sync_status")).toMatchObject({ cloudSyncEnabled: true, convexUrl: backend.url, syncedBy: `pid ${syncer.pid}` });
    const code = String((await call("create_code", { name: "Mutual aid" }))["id"]);
    const start = TEXT.indexOf("The neighbours");
    expect(
      await call("batch_apply_codes", {
        operations: [{ code_id: code, source_id: source, start_position: start, end_position: TEXT.length - 1 }],
      }),
    ).toMatchObject({ count: 1 });
    // qc sync (the other process) pushes the agent's ops; sync_now waits until it has.
    expect(await call("sync_now", { timeout_seconds: 60 })).toMatchObject({ state: "synced", toPush: 0 });

    await qcOk(["sync", "--once", "-p", "ben.qc"]);
    expect(await segmentsIn("ben.qc")).toEqual([{ text: "The neighbours helped us", coder: "agent:Ana" }]);
    expect(errors).toEqual([]);
    expect(stderr).toContain("noise from a dependency");
    expect(stderr).toMatch(/qc mcp: serving .*ana\.qc as agent:Ana; not syncing here/);

    // qc sync is killed without a chance to release its lease: qc mcp becomes the syncer.
    const killed = new Promise((resolve) => syncer!.once("exit", resolve));
    syncer.kill("SIGKILL");
    await killed;
    syncer = undefined;
    while ((await call("get_sync_status"))["syncedBy"] !== "this process") await new Promise((r) => setTimeout(r, 50));
    expect(stderr).toMatch(/qc mcp: no other process syncs .*ana\.qc now; syncing here/);
    const later = String((await call("create_code", { name: "Waiting" }))["id"]);
    await call("batch_apply_codes", {
      operations: [{ code_id: later, source_id: source, start_position: 0, end_position: TEXT.indexOf(" for") }],
    });
    expect(await call("sync_now", { timeout_seconds: 60 })).toMatchObject({ state: "synced", toPush: 0, syncedBy: "this process" });
    await qcOk(["sync", "--once", "-p", "ben.qc"]);
    expect(await segmentsIn("ben.qc")).toEqual(
      expect.arrayContaining([
        { text: "We waited three days", coder: "agent:Ana" },
        { text: "The neighbours helped us", coder: "agent:Ana" },
      ]),
    );
  });
});
