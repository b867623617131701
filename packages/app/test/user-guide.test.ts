/**
 * Every command in the user guide's `sh` blocks runs here, page by page in
 * the guide's order, as one bash script with `qc` (the bundled CLI) on the
 * PATH, against the local Convex-protocol backend (its URL replaces the
 * guide's http://127.0.0.1:3210). A line ending in `# → exit N` must exit N;
 * every other line must succeed. `console` and `text` blocks are not run
 * (installing, Docker, foreground sync: those are covered by other tests).
 */
import { spawn } from "node:child_process";
import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startLocalBackend, type LocalBackend } from "@qc/convex-backend/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeQcRunner, type QcRunner } from "./support/cli.js";

const GUIDE = fileURLToPath(new URL("../../../docs/user-guide/", import.meta.url));

let qc: QcRunner;
let backend: LocalBackend;
beforeAll(async () => {
  [qc, backend] = await Promise.all([makeQcRunner(), startLocalBackend()]);
});
afterAll(async () => {
  await backend.stop();
  qc.cleanup();
});

function pages(): ReadonlyArray<string> {
  const index = readFileSync(join(GUIDE, "README.md"), "utf8");
  return [...index.matchAll(/\]\(([a-z-]+\.md)\)/g)].map((m) => m[1]!);
}

function shellLines(page: string): ReadonlyArray<string> {
  const text = readFileSync(join(GUIDE, page), "utf8");
  return [...text.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) =>
    m[1]!.split("\n").filter((l) => l.trim() !== "" && !l.trim().startsWith("#")),
  );
}

/** One guarded line: its exit code must be the annotated one (default 0). */
function guard(line: string, url: string): string {
  const match = /^(.*?)\s*# → exit (\d+)$/.exec(line);
  const command = (match?.[1] ?? line).replaceAll("http://127.0.0.1:3210", url);
  const expected = match?.[2] ?? "0";
  const label = JSON.stringify(command);
  return `set +e\n${command}\nrc=$?\nset -e\nif [ "$rc" != "${expected}" ]; then echo "GUIDE LINE FAILED (exit $rc, wanted ${expected}): "${label} >&2; exit 99; fi`;
}

describe("the user guide", { timeout: 300_000 }, () => {
  it("lists its pages, each with commands", () => {
    expect(pages()).toEqual([
      "install.md",
      "start-a-project.md",
      "cloud-sync.md",
      "team.md",
      "sync-and-status.md",
      "offline.md",
      "research.md",
      "history-and-undo.md",
      "errors.md",
      "mcp.md",
    ]);
    expect(pages().flatMap(shellLines).length).toBeGreaterThan(30);
  });

  it("every command shown runs, in order, with the exit code the guide says", async () => {
    const wrapper = join(qc.dir, "qc");
    writeFileSync(wrapper, `#!/bin/sh\nexec "${process.execPath}" "${qc.bundle}" "$@"\n`);
    chmodSync(wrapper, 0o755);
    const script = ["set -e", ...pages().flatMap((p) => [`echo "== ${p}" >&2`, ...shellLines(p).map((l) => guard(l, backend.url))])].join(
      "\n",
    );
    const result = await new Promise<{ code: number | null; stderr: string; stdout: string }>((resolve) => {
      const child = spawn("bash", ["-c", script], { cwd: qc.dir, env: { ...qc.env(), PATH: `${qc.dir}:${process.env["PATH"] ?? ""}` } });
      let stderr = "";
      let stdout = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      child.on("close", (code) => resolve({ code, stderr, stdout }));
    });
    expect(result.stderr).not.toContain("GUIDE LINE FAILED");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("primary storage  SQLite (Local)");
    const chloe = JSON.parse(readFileSync(join(qc.dir, "chloe-invite.json"), "utf8")) as Record<string, unknown>;
    expect(Object.keys(chloe).sort()).toEqual(["invite", "token"]);
    expect(result.stdout).not.toContain(String(chloe["token"])); // the token is never printed elsewhere
  }, 600_000); // some hundred qc processes, one after the other, on a shared two-core machine
});
