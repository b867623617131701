/**
 * `pnpm demo`: a research team working live through the qc app.
 *
 * Starts the local Convex-protocol backend in this process on a free port,
 * creates a project with a realistic sample (three interview transcripts, a
 * dozen codes in four categories), publishes it, invites three researchers
 * who join with their invites, runs every replica's sync engine, and plays a
 * scripted session in real time: live edits reaching the others, one
 * researcher offline and catching up, the conflicts that concurrent work
 * produces, their resolution, and an undo that reaches everyone. Each step is narrated with every replica's
 * status line. `pnpm demo -- --exit` ends after the script (CI, README
 * check); without it the demo stays up until Ctrl-C. Exit code 1 if the
 * replicas do not converge.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { startLocalBackend } from "@qc/convex-backend/testing";
import type { Conflict, Replica, TreeNode } from "@qc/core";
import { createProject, joinProject, statusLine, type Project } from "../src/project/index.js";
import { CATEGORIES, FIRST_CODING, PROJECT_NAME, TRANSCRIPTS } from "./sample.js";

const RETRY = { baseDelay: "50 millis", maxDelay: "1 seconds" } as const;
const PAUSE_MS = 600;

export interface DemoOptions {
  readonly exit: boolean;
  readonly print?: (line: string) => void;
  readonly pauseMs?: number;
}

export interface DemoResult {
  readonly converged: boolean;
  readonly conflicts: ReadonlyArray<string>;
}

export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const print = options.print ?? ((line: string) => console.log(line));
  const pause = () => sleep(options.pauseMs ?? PAUSE_MS);
  const started = Date.now();
  const say = (text: string) => print(`\n[${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s] ${text}`);
  const dir = mkdtempSync(join(tmpdir(), "qc-demo-"));
  const backend = await startLocalBackend();
  const team: Array<Project> = [];
  const statuses = () => {
    for (const p of team) print(`         ${p.replica.actor.padEnd(6)} ${statusLine(p.status()!)}`);
  };
  try {
    say(`Local Convex-protocol backend at ${backend.url}; project files in ${dir}`);
    const ana = createProject(join(dir, "ana.qc"), { name: PROJECT_NAME, actor: "Ana" }, {});
    team.push(ana);
    const ids = setUpSample(ana.replica);
    await ana.setConvexUrl(backend.url);
    await ana.setCloudSync(true);
    await ana.team.create();
    ana.startSync({ retry: RETRY });
    say(
      `Ana created "${PROJECT_NAME}": ${TRANSCRIPTS.length} transcripts, ${ids.codes.size} codes in ${CATEGORIES.length} categories, ${FIRST_CODING.length} coded passages; published it and turned cloud sync on.`,
    );
    for (const name of ["Ben", "Chloe", "Dara"]) {
      const { invite } = await ana.team.invite(name, "editor");
      const member = await joinProject(invite, join(dir, `${name.toLowerCase()}.qc`), { actor: name, env: {}, retry: RETRY });
      member.startSync({ retry: RETRY });
      team.push(member);
      say(`${name} joined with an invite (qc join): caught up, ${member.replica.read.entities("code").length} codes.`);
    }
    const [, ben, chloe, dara] = team as [Project, Project, Project, Project];
    await converge(team);
    statuses();
    await pause();

    say("Live: Ben codes a passage in Tomasz's interview; watch it reach the others.");
    const t0 = Date.now();
    codePassage(
      ben.replica,
      ids.sources[1]!,
      TRANSCRIPTS[1]!.text,
      "The church hall opened on the second night",
      ids.codes.get("Volunteers")!,
    );
    await until(
      () => team.every((p) => p.replica.read.segments({ code: ids.codes.get("Volunteers")! }).length === 2),
      "Ben's segment everywhere",
    );
    print(`         on every replica after ${Date.now() - t0} ms`);
    statuses();
    await pause();

    say("Dara's train enters a tunnel: her laptop is offline (sync off); she keeps working.");
    await dara.setCloudSync(false);
    const d = dara.replica.commands;
    d.rename("code", ids.codes.get("Worry")!, "Anxiety");
    d.createCode({ name: "Resilience", color: "#009688", parent: ids.categories.get("Coping")! });
    d.move("category", ids.categories.get("Support")!, ids.categories.get("Institutions")!);
    d.editMemo("code", ids.codes.get("Hope")!, { insert: "Hope about the children's future. ", at: 0 });
    codePassage(dara.replica, ids.sources[2]!, TRANSCRIPTS[2]!.text, "I feel we could handle it again", ids.codes.get("Confidence")!);
    print(`         Dara, offline: renamed Worry to Anxiety, added code Resilience, moved Support under Institutions,`);
    print(`         wrote in Hope's memo, coded a passage with Confidence. ${dara.replica.sync.outboxSize()} edits wait in her file.`);
    statuses();
    await pause();

    say(
      "Meanwhile, online: Ana renames Worry to Concern, Ben also adds a code Resilience, Chloe moves Institutions under Support and merges Confidence into Hope, Ana writes in Hope's memo too.",
    );
    ana.replica.commands.rename("code", ids.codes.get("Worry")!, "Concern");
    ben.replica.commands.createCode({ name: "Resilience", color: "#00796b", parent: ids.categories.get("Coping")! });
    chloe.replica.commands.move("category", ids.categories.get("Institutions")!, ids.categories.get("Support")!);
    chloe.replica.commands.mergeCodes(ids.codes.get("Confidence")!, ids.codes.get("Hope")!);
    ana.replica.commands.editMemo("code", ids.codes.get("Hope")!, { insert: "Mentions of better times ahead.", at: 0 });
    await converge(team.filter((p) => p !== dara));
    statuses();
    await pause();

    say("Dara is out of the tunnel: sync on; her edits go out and the team's come in.");
    await dara.setCloudSync(true);
    await converge(team);
    statuses();
    const conflicts = describeConflicts(ana.replica);
    say(`Everyone holds the same ops and the same state. Nothing was lost; what needs a decision is listed (${conflicts.length}):`);
    for (const line of conflicts) print(`         - ${line}`);
    print(
      `         Hope's memo, merged character by character: "${String(ana.replica.read.entity("code", ids.codes.get("Hope")!)?.fields["memo"])}"`,
    );
    print(
      `         Dara's Confidence passage now counts under Hope (merged): ${ana.replica.read.segments({ code: ids.codes.get("Hope")! }).length} segments.`,
    );
    await pause();

    say("Ana reviews the conflicts and resolves them; the resolutions sync like any edit.");
    for (const c of ana.replica.read.conflicts()) ana.replica.commands.resolveConflict(c.id);
    await converge(team);
    print(
      `         open conflicts on each replica: ${team.map((p) => `${p.replica.actor} ${p.replica.read.conflicts().length}`).join(", ")}`,
    );
    statuses();

    say("Chloe deletes the code Humour by mistake; the deletion reaches everyone.");
    const humour = ids.codes.get("Humour")!;
    const humourEverywhere = () => team.map((p) => `${p.replica.actor} ${humourState(p.replica, humour)}`).join(", ");
    chloe.replica.commands.remove("code", humour);
    await converge(team);
    print(`         Humour on each replica: ${humourEverywhere()}`);
    await pause();

    say("Chloe undoes her last edit (qc undo --last 1): the undo is a new edit, synced like any other.");
    chloe.replica.commands.undoLast(1);
    await converge(team);
    print(`         Humour on each replica: ${humourEverywhere()}`);
    statuses();

    say("The code tree everyone now sees (segments per code):");
    for (const line of renderTree(ana.replica.read.tree("codes"))) print(`         ${line}`);
    const hashes = team.map((p) => hashOf(p.replica));
    const converged = hashes.every((h) => h === hashes[0]);
    say(converged ? `Converged: state hash ${hashes[0]} on all ${team.length} replicas.` : `NOT converged: ${hashes.join(" ")}`);
    if (!options.exit) {
      say(
        "The team stays online; open another terminal and try: pnpm qc status --project " +
          join(dir, "ben.qc") +
          "  (Ctrl-C ends the demo)",
      );
      await untilSignal();
    }
    return { converged, conflicts };
  } finally {
    for (const p of team) await p.close();
    await backend.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

interface SampleIds {
  readonly categories: Map<string, string>;
  readonly codes: Map<string, string>;
  readonly sources: ReadonlyArray<string>;
}

function setUpSample(replica: Replica): SampleIds {
  const c = replica.commands;
  const categories = new Map<string, string>();
  const codes = new Map<string, string>();
  for (const category of CATEGORIES) {
    const id = c.createCategory({ name: category.name, color: category.color });
    categories.set(category.name, id);
    for (const [name, color] of category.codes) codes.set(name, c.createCode({ name, color, parent: id }));
  }
  const sources = TRANSCRIPTS.map((t) => c.importTextSource({ name: t.name, text: t.text }));
  for (const [i, passage, code] of FIRST_CODING) codePassage(replica, sources[i]!, TRANSCRIPTS[i]!.text, passage, codes.get(code)!);
  return { categories, codes, sources };
}

function codePassage(replica: Replica, source: string, text: string, passage: string, code: string): void {
  const start = text.indexOf(passage);
  if (start < 0) throw new Error(`demo script: passage not in the transcript: ${passage}`);
  replica.commands.codeSegment({ code, source, start, end: start + passage.length });
}

async function converge(team: ReadonlyArray<Project>): Promise<void> {
  await Promise.all(team.map((p) => p.sync()!.syncNow()));
  await until(() => new Set(team.map((p) => hashOf(p.replica))).size === 1, "every replica to hold the same state");
}

/** "deleted", or "back (N segments)" once live again. */
function humourState(replica: Replica, code: string): string {
  if (!replica.read.entities("code").some((c) => c.id === code)) return "deleted";
  const segments = replica.read.segments({ code }).length;
  return `back (${segments} segment${segments === 1 ? "" : "s"})`;
}

function describeConflicts(replica: Replica): ReadonlyArray<string> {
  const name = (type: Conflict["type"], id: string) => String(replica.read.entity(type, id)?.fields["name"] ?? id);
  return replica.read.conflicts().map((c) => {
    switch (c.kind) {
      case "concurrent-edit":
        return `concurrent edit: ${c.type} "${name(c.type, c.entity)}" got two new values at once (${describeWrites(c.detail)}); the later one shows`;
      case "duplicate-name":
        return `duplicate name: two ${c.type}s called "${name(c.type, c.entity)}"; both kept`;
      case "cycle-skipped":
        return `move skipped: moving ${c.type} "${name(c.type, c.entity)}" would have put it inside itself`;
      default:
        return `${c.kind} on ${c.type} "${name(c.type, c.entity)}"`;
    }
  });
}

function describeWrites(detail: Conflict["detail"]): string {
  const writes = (detail as { writes?: ReadonlyArray<{ actor: string; value: unknown }> }).writes ?? [];
  return writes.map((w) => `${JSON.stringify(w.value)} by ${w.actor}`).join(", ");
}

function renderTree(nodes: ReadonlyArray<TreeNode>, depth = 0): ReadonlyArray<string> {
  return nodes.flatMap((n) => [
    `${"  ".repeat(depth)}${n.type === "category" ? "▸" : "•"} ${n.name} (${n.segments})`,
    ...renderTree(n.children, depth + 1),
  ]);
}

function hashOf(replica: Replica): string {
  return createHash("sha256").update(replica.read.canonicalState()).digest("hex").slice(0, 12);
}

async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`demo: timed out waiting for ${what}`);
    await sleep(25);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const result = await runDemo({ exit: process.argv.includes("--exit") });
  process.exit(result.converged ? 0 : 1);
}
