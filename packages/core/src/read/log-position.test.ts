import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createReplica, openReplica } from "../replica.js";

const dirs: Array<string> = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("log position", () => {
  it("grows with own edits, another process's edits and ingested peer ops; opsSince lists exactly what came after", () => {
    const d = mkdtempSync(join(tmpdir(), "qc-pos-"));
    dirs.push(d);
    const a = createReplica(join(d, "a.qc"), { actor: "ana" });
    const other = openReplica(join(d, "a.qc"), { actor: "ana" });
    const start = a.read.logPosition();
    a.commands.createCode({ name: "own", color: "#000000" });
    const afterOwn = a.read.logPosition();
    expect(afterOwn).toBeGreaterThan(start);
    other.commands.createCode({ name: "other process", color: "#000000" });
    const afterOther = a.read.logPosition();
    expect(afterOther).toBeGreaterThan(afterOwn);
    const peer = createReplica(join(d, "b.qc"), { actor: "ben", project: a.project });
    a.sync.ingest(a.sync.opsAfter()); // no-op: already held
    expect(a.read.logPosition()).toBe(afterOther);
    peer.sync.ingest(a.sync.opsAfter());
    peer.commands.createCode({ name: "peer", color: "#000000" });
    a.sync.ingest(peer.sync.opsAfter());
    expect(a.read.logPosition()).toBeGreaterThan(afterOther);
    const since = a.read.opsSince(afterOwn);
    expect(since.map((s) => s.op.actor)).toEqual(["ana", "ben"]);
    expect(since.map((s) => s.position)).toEqual([...since.map((s) => s.position)].sort((x, y) => x - y));
    expect(since.at(-1)?.position).toBe(a.read.logPosition());
    expect(a.read.opsSince(a.read.logPosition())).toEqual([]);
    for (const r of [a, other, peer]) r.close();
  });
});
