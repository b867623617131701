/**
 * Idle maintenance on a real project file: once idle, the WAL is checkpointed
 * and truncated and the due checkpoints of materialised state are taken;
 * edits go on as usual during and after; a live other process holding the
 * maintenance lease keeps this one from building checkpoints.
 */
import { statSync } from "node:fs";
import { hostname } from "node:os";
import { makeTempDir, type TempDir } from "@qc/core/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { keepMaintained, maintainOnce, type MaintenanceStep } from "./idle-maintenance.js";
import { createProject, type Project } from "./project.js";

let dir: TempDir;
let project: Project;
beforeEach(() => {
  dir = makeTempDir("qc-idle-");
  project = createProject(dir.path("study.qc"), { name: "Study", actor: "ana" }, {});
});
afterEach(async () => {
  await project.close();
  dir.remove();
});

const walBytes = (): number => statSync(dir.path("study.qc-wal")).size;
const addCodes = (n: number, from = 0): string[] =>
  Array.from({ length: n }, (_, i) => project.replica.commands.createCode({ name: `code ${from + i}`, color: "#336699" }));

describe("idle maintenance", () => {
  it("after the project falls idle, truncates the WAL and takes the due checkpoints, then waits for the next op", async () => {
    addCodes(30);
    expect(walBytes()).toBeGreaterThan(0);
    const steps: MaintenanceStep[] = [];
    let heard: () => void = () => undefined;
    const stop = keepMaintained(project.replica, { idleMs: 10, checkpointEvery: 10, onStep: (s) => (steps.push(s), heard()) });
    try {
      await new Promise<void>((resolve) => (heard = resolve));
      expect(steps[0]).toMatchObject({ checkpoints: 3, wal: { busy: false, walBytes: 0 } });
      expect(walBytes()).toBe(0);

      // The next op makes the project due again: edits keep working, and the next idle step checkpoints them.
      const [id] = addCodes(10, 30);
      project.replica.commands.rename("code", id!, "renamed while maintained");
      await new Promise<void>((resolve) => (heard = resolve));
      expect(steps).toHaveLength(2);
      expect(steps[1]).toMatchObject({ checkpoints: 1, wal: { walBytes: 0 } });
      expect(project.replica.read.entity("code", id!)?.fields["name"]).toBe("renamed while maintained");
    } finally {
      stop();
    }
  });

  it("leaves the checkpoints to another live process that holds the maintenance lease, and takes them once it is free", () => {
    addCodes(30);
    // The parent process (the test runner's) is alive and is not this one: the lease is another process's.
    project.replica.local.set("maintenance_lease", { pid: process.ppid, host: hostname(), since: new Date().toISOString() });
    const held = maintainOnce(project.replica, 10);
    expect(held.checkpoints).toBeUndefined();
    expect(held.wal.busy).toBe(false); // the WAL checkpoint is safe from any process and still ran

    project.replica.local.set("maintenance_lease", undefined);
    expect(maintainOnce(project.replica, 10).checkpoints).toBe(3);
    expect(project.replica.local.get("maintenance_lease")).toBeUndefined(); // dropped after use
  });
});
