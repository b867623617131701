/**
 * An op the materialiser stores but cannot apply for its content (it
 * returns it from `apply`) is quarantined as "unapplicable" with the
 * materialiser's reason: it stays in the log (the log is never rewritten),
 * is not counted as applied, and the rest of the batch is.
 */
import { describe, expect, it } from "vitest";
import { listQuarantine } from "./quarantine.js";
import { countRows, openTestLog, remoteOps } from "../testing/op-log-db.js";

describe("ingest of an op the materialiser cannot apply", () => {
  it("is quarantined as unapplicable; the other ops of the batch count as applied", () => {
    const peer = remoteOps();
    const good = peer({ kind: "create", target: { type: "case", id: "k" }, body: { fields: { name: "K" } } });
    const skipped = peer({ kind: "text", target: { type: "case", id: "k" } });
    const log = openTestLog(":memory:", (_db, ops) =>
      ops.filter((op) => op.id === skipped.id).map((op) => ({ op: op.id, reason: "Yjs cannot apply the update: test" })),
    );
    expect(log.ingest([good, skipped])).toEqual({ applied: 1, duplicates: 0, quarantined: 1 });
    expect(listQuarantine(log.db)).toEqual([
      expect.objectContaining({
        id: skipped.id,
        hlc: skipped.hlc,
        reason: "unapplicable",
        detail: "Yjs cannot apply the update: test",
        from: "ingest",
      }),
    ]);
    expect(countRows(log.db, "ops")).toBe(2);
  });
});
