/**
 * End to end over the local Convex-protocol backend with the real
 * ConvexClient and ConvexHttpClient: researchers with real SQLite replica
 * files and sync engines over ConvexRemote edit at random while syncing; the
 * backend goes down mid-run (edits continue offline, the status stream says
 * so, and one researcher quits and restarts qc meanwhile) and comes back on
 * the same port with nothing lost; afterwards every
 * replica and the server hold every op made anywhere and every replica has
 * the same state. Also: edits travel by subscription alone, and a viewer, a
 * member pushing under another's replica id or a revoked member gets an
 * error status that says what to do.
 *
 * Seed: QC_SEED (printed). Nothing asserts on elapsed time: every wait is
 * for a condition, with a generous bound.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { qcApi } from "@qc/convex-backend";
import { arbitraryAction, makePrng, runAction, waitFor } from "@qc/core/testing";
import type { SyncStatus } from "@qc/core/sync";
import {
  createProject,
  describeStatus,
  invite,
  openFounder,
  pullAll,
  sleep,
  startResearcher,
  type Researcher,
  useTeamBackend,
} from "./team.js";

const SEED = Number(process.env["QC_SEED"] ?? Date.now() % 2 ** 31);
/** Random actions per phase: online, offline (backend down), reconnecting. */
const PHASES = { online: 45, offline: 40, reconnecting: 25 } as const;

const suite = useTeamBackend("qc-e2e-");
const { dir, running } = suite;

/** A project founded on `founder`'s replica, with the other members invited. */
async function team(
  founderActor: string,
  others: ReadonlyArray<{ actor: string; role: "editor" | "viewer" }>,
  firstDigit: number,
): Promise<ReadonlyArray<Researcher>> {
  const replicaId = (i: number) => (firstDigit + i).toString(16).repeat(16);
  const founderReplica = openFounder(dir.root, founderActor, replicaId(0));
  const owner = await createProject(suite.http, founderReplica.project, founderActor);
  const founder = startResearcher({
    url: suite.backend.url,
    dir: dir.root,
    member: owner,
    replicaId: replicaId(0),
    replica: founderReplica,
  });
  running.push(founder);
  const rest: Array<Researcher> = [];
  for (const [i, { actor, role }] of others.entries()) {
    const member = await invite(suite.http, owner, actor, role);
    const r = startResearcher({ url: suite.backend.url, dir: dir.root, member, replicaId: replicaId(i + 1) });
    running.push(r);
    rest.push(r);
  }
  return [founder, ...rest];
}

const isOfflineOrConnecting = (s: SyncStatus) => s.state === "offline" || s.state === "connecting";

describe("sync over the local Convex backend with the real clients", () => {
  it("an edit on one replica shows on another by subscription alone (no sync call)", async () => {
    const [ann, bob] = await team("ann", [{ actor: "bob", role: "editor" }], 0x1);
    if (ann === undefined || bob === undefined) throw new Error("team of two expected");
    const code = ann.replica.commands.createCode({ name: "Hope", color: "#aa0000" });
    await waitFor(
      "bob to see ann's new code",
      () => bob.replica.read.entity("code", code) !== undefined,
      30_000,
      () => describeStatus(bob.engine.status()),
    );
    bob.replica.commands.rename("code", code, "Hope (renamed by bob)");
    await waitFor(
      "ann to see bob's rename",
      () => ann.replica.read.entity("code", code)?.fields["name"] === "Hope (renamed by bob)",
      30_000,
      () => describeStatus(ann.engine.status()),
    );
    expect(bob.replica.read.canonicalState()).toBe(ann.replica.read.canonicalState());
  });

  it("three researchers editing through an outage and a restart end with every op everywhere and the same state", async () => {
    console.log(`sync-over-convex: seed ${SEED} (QC_SEED=${SEED} to replay)`);
    const researchers = await team(
      "ann",
      [
        { actor: "bob", role: "editor" },
        { actor: "cat", role: "editor" },
      ],
      0x4,
    );
    const [ann] = researchers;
    if (ann === undefined || researchers.length !== 3) throw new Error("team of three expected");
    const owner = ann.member;
    const rand = makePrng(SEED);
    const actions = fc.sample(arbitraryAction, { seed: SEED, numRuns: PHASES.online + PHASES.offline + PHASES.reconnecting });
    let next = 0;
    const edit = async (count: number, madeBy?: Map<Researcher, number>): Promise<void> => {
      for (let i = 0; i < count; i++) {
        const who = researchers[Math.floor(rand() * researchers.length)]!;
        // Count ops, not actions: some commands succeed without writing
        // anything (an empty memo insert, a link that already exists).
        const before = who.ownOpIds().length;
        runAction(who.replica, actions[next++]!);
        const written = who.ownOpIds().length - before;
        madeBy?.set(who, (madeBy.get(who) ?? 0) + written);
        await sleep(Math.floor(rand() * 12)); // let the engines run between edits
      }
    };

    scriptedPrologue(researchers);
    await edit(PHASES.online);
    const beforeStop = await pullAll(suite.http, owner);

    // Outage: the backend drops every socket and stops listening.
    const marks = researchers.map((r) => r.statuses.length);
    await suite.backend.stop();
    const offlineEdits = new Map<Researcher, number>();
    await edit(Math.ceil(PHASES.offline / 2), offlineEdits);
    // One researcher quits qc and starts it again while the server is down:
    // the outbox is the op log on disk, not a queue in the dead process.
    const quitter = researchers[Math.floor(rand() * researchers.length)]!;
    await quitter.reopen();
    await edit(Math.floor(PHASES.offline / 2), offlineEdits);
    for (const [i, r] of researchers.entries()) {
      await waitFor(
        `${r.member.actor}'s status to say offline or connecting`,
        () => r.statuses.slice(marks[i]).some(isOfflineOrConnecting),
        30_000,
        () => r.statuses.slice(marks[i]).map(describeStatus).join(" → "),
      );
      // Edits made while the server is down stay in the outbox (nothing is acked).
      expect(r.replica.sync.outboxSize()).toBeGreaterThanOrEqual(offlineEdits.get(r) ?? 0);
    }

    await suite.backend.restart();
    await edit(PHASES.reconnecting);

    // Every op made anywhere (nobody edits any more).
    const made = new Set(researchers.flatMap((r) => r.ownOpIds()));
    const converged = () =>
      researchers.every((r) => r.engine.status().state === "synced" && r.replica.sync.opsAfter().length === made.size);
    await waitFor("every engine synced with every op", converged, 45_000, () =>
      researchers
        .map((r) => `${r.member.actor}: ${describeStatus(r.engine.status())}, ${r.replica.sync.opsAfter().length}/${made.size} ops`)
        .join("; "),
    );

    const onServer = await pullAll(suite.http, owner);
    const serverIds = onServer.map((o) => (o.op as { id: string }).id);
    expect(new Set(serverIds).size).toBe(serverIds.length); // no op stored twice
    expect(new Set(serverIds)).toEqual(made);
    expect(onServer.map((o) => o.seq)).toEqual(onServer.map((_, i) => i + 1)); // gapless
    for (const before of beforeStop) expect(onServer[before.seq - 1]).toEqual(before); // nothing lost in the restart

    const states = researchers.map((r) => r.replica.read.canonicalState());
    for (const r of researchers) {
      expect(new Set(r.replica.sync.opsAfter().map((op) => op.id)), `${r.member.actor}'s log`).toEqual(made);
      expect(r.replica.read.canonicalState(), `${r.member.actor}'s state`).toBe(states[0]);
      expect(r.replica.read.verify(), `${r.member.actor}'s verify`).toEqual({ ok: true });
      expect(r.replica.read.quarantine(), `${r.member.actor}'s quarantine`).toEqual([]);
      expect(r.replica.sync.outboxSize()).toBe(0);
    }

    // After the restart, a single edit still travels by subscription alone.
    const late = ann.replica.commands.createCode({ name: "After the outage", color: "#00aa00" });
    for (const r of researchers) {
      await waitFor(
        `${r.member.actor} to see the post-restart edit`,
        () => r.replica.read.entity("code", late) !== undefined,
        30_000,
        () => describeStatus(r.engine.status()),
      );
    }

    const ops = ann.replica.sync.opsAfter();
    const kinds = new Set(ops.map((op) => op.kind));
    const types = new Set(ops.map((op) => op.target.type));
    for (const kind of ["create", "set", "text", "move", "link"]) expect(kinds, `op kinds made`).toContain(kind);
    for (const type of ["code", "category", "source", "segment", "case"]) expect(types, `entity types edited`).toContain(type);
    console.log(
      `sync-over-convex: ${made.size} ops (${beforeStop.length} on the server before the outage), ` +
        `${[...offlineEdits.values()].reduce((a, b) => a + b, 0)} edits made offline (${quitter.member.actor} restarted qc meanwhile), kinds ${[...kinds].sort().join(",")}`,
    );
    for (const [i, r] of researchers.entries()) {
      const states = r.statuses.slice(marks[i]).map((s) => s.state);
      console.log(`  ${r.member.actor}'s status from the outage on: ${states.filter((s, j) => s !== states[j - 1]).join(" → ")}`);
    }
  });

  it("a viewer's engine reports an error saying to ask for editor access when it pushes, and keeps receiving edits", async () => {
    const [ann, vic] = await team("ann", [{ actor: "vic", role: "viewer" }], 0x7);
    if (ann === undefined || vic === undefined) throw new Error("team of two expected");
    ann.replica.commands.createCode({ name: "Trust", color: "#00aa00" });
    await waitFor(
      "vic's engine to sync (a viewer may pull)",
      () => vic.engine.status().state === "synced" && vic.replica.read.entities("code").length === 1,
      30_000,
      () => describeStatus(vic.engine.status()),
    );
    const code = vic.replica.commands.createCode({ name: "Vic's code", color: "#0000aa" });
    await waitFor(
      "vic's engine to report an error",
      () => vic.engine.status().state === "error",
      30_000,
      () => vic.statuses.map(describeStatus).join(" → "),
    );
    expect(vic.engine.status()).toMatchObject({
      state: "error",
      reason: "forbidden",
      message: expect.stringMatching(/ask the project owner for editor access/),
    });
    expect(vic.replica.sync.outboxSize()).toBeGreaterThan(0); // the edit is kept locally
    const onServer = await pullAll(suite.http, ann.member);
    expect(onServer.some((o) => (o.op as { target: { id: string } }).target.id === code)).toBe(false);
    // A refused push stops only pushing: the viewer keeps receiving the team's edits.
    const later = ann.replica.commands.createCode({ name: "Hope", color: "#aa00aa" });
    await waitFor(
      "ann's later edit to reach vic by subscription",
      () => vic.replica.read.entity("code", later) !== undefined,
      30_000,
      () => vic.statuses.map(describeStatus).join(" → "),
    );
    expect(vic.engine.status()).toMatchObject({ state: "error", reason: "forbidden" });
    await expect(vic.engine.syncNow()).rejects.toMatchObject({ reason: "forbidden" });
  });

  it("a member pushing under another member's replica id (a copied project file) gets an error saying so; both keep syncing", async () => {
    const [ann] = await team("ann", [], 0xb);
    if (ann === undefined) throw new Error("a founder expected");
    ann.replica.commands.createCode({ name: "Trust", color: "#00aa00" });
    await waitFor(
      "ann's edit to reach the server",
      () => ann.replica.sync.outboxSize() === 0,
      30_000,
      () => describeStatus(ann.engine.status()),
    );
    const member = await invite(suite.http, ann.member, "cid", "editor");
    const copy = startResearcher({ url: suite.backend.url, dir: dir.root, member, replicaId: ann.replica.replica });
    running.push(copy);
    const own = copy.replica.commands.createCode({ name: "Cid's code", color: "#0000aa" });
    await waitFor(
      "cid's engine to report an error",
      () => copy.engine.status().state === "error",
      30_000,
      () => copy.statuses.map(describeStatus).join(" → "),
    );
    expect(copy.engine.status()).toMatchObject({
      state: "error",
      reason: "replica-claimed",
      message: expect.stringMatching(/copied from their computer/),
    });
    expect(copy.replica.sync.outboxSize()).toBe(1);
    const onServer = await pullAll(suite.http, ann.member);
    expect(onServer.some((o) => (o.op as { target: { id: string } }).target.id === own)).toBe(false);
    // Only cid's pushing stopped: ann's edits still reach cid, and ann still pushes.
    const later = ann.replica.commands.createCode({ name: "Hope", color: "#aa00aa" });
    await waitFor(
      "ann's later edit to reach cid",
      () => copy.replica.read.entity("code", later) !== undefined,
      30_000,
      () => copy.statuses.map(describeStatus).join(" → "),
    );
    await waitFor(
      "ann's engine to be synced",
      () => ann.engine.status().state === "synced" && ann.replica.sync.outboxSize() === 0,
      30_000,
      () => describeStatus(ann.engine.status()),
    );
  });

  it("a revoked member's engine reports an error saying to ask for a new invite", async () => {
    const [ann, dan] = await team("ann", [{ actor: "dan", role: "editor" }], 0x9);
    if (ann === undefined || dan === undefined) throw new Error("team of two expected");
    dan.replica.commands.createCode({ name: "Fear", color: "#aa0000" });
    await waitFor(
      "dan's engine to push and sync",
      () => dan.engine.status().state === "synced" && dan.replica.sync.outboxSize() === 0,
      30_000,
      () => describeStatus(dan.engine.status()),
    );
    await suite.http.mutation(qcApi.members.revoke, { token: ann.member.token, project: ann.member.project, actor: "dan" });
    // The head subscription fails for the revoked token: no edit or sync call needed.
    await waitFor(
      "dan's engine to report an error",
      () => dan.engine.status().state === "error",
      30_000,
      () => dan.statuses.map(describeStatus).join(" → "),
    );
    expect(dan.engine.status()).toMatchObject({
      state: "error",
      reason: "token-refused",
      message: expect.stringMatching(/ask the project owner for a new invite/),
    });
    dan.replica.commands.createCode({ name: "After revoke", color: "#aa0000" });
    await expect(dan.engine.syncNow()).rejects.toMatchObject({ reason: "token-refused" });
    expect(dan.replica.sync.outboxSize()).toBe(1);
  });

  it("everything shuts down: engines, clients and the backend leave no socket, server or timer behind", async () => {
    await Promise.all(running.map((r) => r.stop()));
    await suite.backend.stop();
    await sleep(100); // closes that were initiated settle
    const left = process.getActiveResourcesInfo().filter((kind) => /TCP|Timeout|Immediate/.test(kind));
    expect(left).toEqual([]);
  });
});

/** One of each edit the random phase might miss: categories, moves, text, segments, memos, cases and links. */
function scriptedPrologue(researchers: ReadonlyArray<Researcher>): void {
  const [ann, bob, cat] = researchers.map((r) => r.replica);
  if (ann === undefined || bob === undefined || cat === undefined) throw new Error("team of three expected");
  const feelings = ann.commands.createCategory({ name: "Feelings", color: "#112233" });
  const hope = ann.commands.createCode({ name: "Hope", color: "#aa0000", parent: feelings });
  const interview = ann.commands.importTextSource({ name: "Interview 1", text: "I hope we get there. We were afraid at first." });
  ann.commands.codeSegment({ code: hope, source: interview, start: 2, end: 6 });
  ann.commands.editSourceText(interview, { insert: "Honestly, ", at: 0 });
  ann.commands.editMemo("code", hope, { insert: "Expectations about the future", at: 0 });
  const participant = bob.commands.createCase({ name: "Participant 1" });
  const notes = bob.commands.importTextSource({ name: "Field notes", text: "Met at the library." });
  bob.commands.linkSource(participant, notes);
  const fear = cat.commands.createCode({ name: "Fear", color: "#0000aa" });
  const themes = cat.commands.createCategory({ name: "Themes", color: "#00bb00" });
  cat.commands.move("code", fear, themes);
  cat.commands.rename("category", themes, "Main themes");
}
