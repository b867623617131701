/**
 * The sync engine pulling what a hostile or buggy member got onto the
 * deployment (issue 7, items 1-3; injected past the server's checks, as a
 * deployment running an older qc would have stored it): the receiving
 * replica quarantines each bad op, never stops with `replica-failed`, keeps
 * receiving later ops and every read keeps working.
 */
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { makeOpBuilder } from "../testing/pure/op-builder.js";
import type { Replica } from "../replica.js";
import { makeMemoryRemote } from "../testing/memory-remote.js";
import { edit, fastRetry, ids, openTestReplica } from "../../test/sync/helpers.js";
import { makeTempDir } from "../testing/temp-dir.js";
import { startSyncEngine, type SyncEngineHandle } from "./start.js";

const dir = makeTempDir("qc-hostile-");
const engines: Array<SyncEngineHandle> = [];
const replicas: Array<Replica> = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.stop()));
  for (const r of replicas.splice(0)) r.close();
});
afterAll(() => dir.remove());

let files = 0;
function replica(n: number, project?: string): Replica {
  const r = openTestReplica(`${dir.root}/r${(files += 1)}.sqlite`, n, project === undefined ? {} : { project });
  replicas.push(r);
  return r;
}

function nested(levels: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = [value];
  return value;
}

describe("an engine pulling hostile ops", () => {
  it("quarantines a garbage text update (the field's first), a 5,000-deep value and a 1.2 MB op, and keeps syncing", async () => {
    const a = replica(1);
    const b = replica(2, a.project);
    const remote = makeMemoryRemote({ project: a.project });
    const ea = startSyncEngine({ retry: fastRetry, replica: a.sync, remote: () => remote.connect() });
    const eb = startSyncEngine({ retry: fastRetry, replica: b.sync, remote: () => remote.connect() });
    engines.push(ea, eb);
    const code = a.commands.createCode({ name: "Anger", color: "#112233" });
    await ea.syncNow();
    const peer = makeOpBuilder({ project: a.project, replica: "eeeeeeeeeeeeeeee" });
    const wire = (op: unknown) => JSON.parse(JSON.stringify(op)) as Record<string, unknown>;
    const bad = [
      { ...wire(peer({ kind: "text", target: { type: "code", id: code } })), body: { field: "memo", update: "AQID" } },
      {
        ...wire(peer({ kind: "set", target: { type: "case", id: "k" }, body: { field: "attr:a", value: 1 } })),
        body: { field: "attr:a", value: nested(5000) },
      },
      { ...wire(peer({ kind: "delete", target: { type: "code", id: code } })), target: { type: "code", id: "x".repeat(1_200_000) } },
    ];
    for (const op of bad) remote.injectRaw(op);
    edit(a, 2);
    await ea.syncNow();
    await eb.syncNow();
    expect(eb.status().state).toBe("synced");
    expect(ids(b)).toEqual(ids(a));
    expect(b.read.quarantine().map((q) => q.reason)).toEqual(["invalid", "invalid", "invalid"]);
    expect(b.read.entity("code", code)?.fields["name"]).toBe("Anger");
    expect(b.read.verify()).toMatchObject({ ok: true });
    edit(a, 1);
    await ea.syncNow();
    await eb.syncNow();
    expect(ids(b)).toEqual(ids(a));
  });
});
