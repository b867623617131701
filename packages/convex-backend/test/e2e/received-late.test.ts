/**
 * Back-dated ops over the real path: a researcher whose clock says 2001
 * (offline work, or a wrong clock) pushes through ConvexRemote to the local
 * Convex-protocol backend. The op is stored, not refused; a colleague's
 * replica pulls it with the server's receive time, and its history and blame
 * say when it really reached the team and flag it. An op pushed promptly is
 * not flagged. Nothing asserts on elapsed time: waits are for conditions.
 */
import { describe, expect, it } from "vitest";
import { createReplica } from "@qc/core";
import { waitFor } from "@qc/core/testing";
import { join } from "node:path";
import { createProject, describeStatus, invite, startResearcher, useTeamBackend } from "./team.js";

const Y2001 = Date.UTC(2001, 5, 1, 12, 0, 0);

const suite = useTeamBackend("qc-e2e-late-");
const { dir, running } = suite;

describe("ops stamped long before they reach the server", () => {
  it("are stored, and a colleague's history shows the server's receive time and flags them; a prompt op is not flagged", async () => {
    const clock = { ms: Y2001 };
    const annReplicaId = "a".repeat(16);
    const annReplica = createReplica(join(dir.root, "ann.sqlite"), {
      actor: "ann",
      replica: annReplicaId,
      projectName: "Late study",
      clock: () => clock.ms,
    });
    const owner = await createProject(suite.http, annReplica.project, "ann");
    const bobMember = await invite(suite.http, owner, "bob", "editor");
    const code = annReplica.commands.createCode({ name: "Written in 2001", color: "#aa0000" });
    const pushStart = Date.now();
    const ann = startResearcher({ url: suite.backend.url, dir: dir.root, member: owner, replicaId: annReplicaId, replica: annReplica });
    running.push(ann);
    const bob = startResearcher({ url: suite.backend.url, dir: dir.root, member: bobMember, replicaId: "b".repeat(16) });
    running.push(bob);
    await waitFor(
      "bob to pull ann's 2001 code",
      () => bob.replica.read.entity("code", code) !== undefined,
      30_000,
      () => describeStatus(bob.engine.status()),
    );

    clock.ms = Date.now(); // ann's clock is right again: her next edit reaches the server promptly
    ann.replica.commands.rename("code", code, "Renamed today");
    await waitFor(
      "bob to pull ann's rename",
      () => bob.replica.read.entity("code", code)?.fields["name"] === "Renamed today",
      30_000,
      () => describeStatus(bob.engine.status()),
    );
    const pushEnd = Date.now();

    const entries = bob.replica.read.history.ofEntity("code", code);
    expect(entries.map((e) => [e.op.kind, e.receivedLate])).toEqual([
      ["create", true],
      ["set", false],
    ]);
    const [created, renamed] = entries;
    expect(created?.authoredAt).toBe(new Date(Y2001).toISOString());
    for (const entry of [created, renamed]) {
      const receivedMs = Date.parse(entry?.receivedAt ?? "");
      expect(receivedMs).toBeGreaterThanOrEqual(pushStart);
      expect(receivedMs).toBeLessThanOrEqual(pushEnd);
    }
    const blame = bob.replica.read.history.blame("code", code);
    expect(blame["color"]?.[0]).toMatchObject({ actor: "ann", kind: "create", receivedLate: true, receivedAt: created?.receivedAt });
    expect(blame["name"]?.[0]).toMatchObject({ actor: "ann", kind: "set", receivedLate: false, receivedAt: renamed?.receivedAt });

    // Ann's own replica learns the receive times from the pull that echoes her ops.
    await waitFor("ann's replica to record the receive times of her own ops", () =>
      ann.replica.read.history.ofEntity("code", code).every((e) => e.receivedAt !== undefined),
    );
    expect(ann.replica.read.history.ofEntity("code", code).map((e) => [e.receivedAt, e.receivedLate])).toEqual(
      entries.map((e) => [e.receivedAt, e.receivedLate]),
    );
  });
});
