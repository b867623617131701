import { afterEach, describe, expect, it } from "vitest";
import { createReplica, type Replica } from "../replica.js";
import { yjsClientId } from "./read.js";

const open: Replica[] = [];
afterEach(() => open.splice(0).forEach((r) => r.close()));

describe("Yjs client ids", () => {
  it("differ for replica ids that share their first 8 hex digits", () => {
    expect(yjsClientId("0000000000000001")).not.toBe(yjsClientId("0000000000000002"));
    expect(Number.isSafeInteger(yjsClientId("ffffffffffffffff"))).toBe(true);
  });

  // Regression: with 31-bit ids these two replicas shared a Yjs client id and
  // one of the two concurrent memo inserts was lost (verify() then failed).
  it("keep both concurrent inserts of replicas whose ids share a prefix", () => {
    const a = createReplica(":memory:", { actor: "ann", replica: "0000000000000001", projectName: "Study" });
    open.push(a);
    const b = createReplica(":memory:", { actor: "bob", replica: "0000000000000002", project: a.project });
    open.push(b);
    const code = a.commands.createCode({ name: "Hope", color: "#336699" });
    b.sync.ingest(a.sync.opsAfter());
    a.commands.editMemo("code", code, { insert: "from ann. ", at: 0 });
    b.commands.editMemo("code", code, { insert: "from bob. ", at: 0 });
    a.sync.ingest(b.sync.opsAfter());
    b.sync.ingest(a.sync.opsAfter());
    const memo = a.read.entity("code", code)?.fields["memo"];
    expect(memo).toContain("from ann.");
    expect(memo).toContain("from bob.");
    expect(a.read.canonicalState()).toBe(b.read.canonicalState());
    expect(a.read.verify().ok).toBe(true);
  });
});
