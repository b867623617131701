import { afterEach, describe, expect, it } from "vitest";
import { createReplica, type Replica } from "../replica.js";
import { registerTag } from "../materialiser/register-keys.js";
import { replicaDb } from "../testing/replica-db.js";
import { CommandError } from "./errors.js";

let r: Replica;
afterEach(() => r?.close());

function withSource(): { code: string; source: string } {
  r = createReplica(":memory:", { actor: "alice", projectName: "Study" });
  const code = r.commands.createCode({ name: "Hope", color: "#00aa00" });
  const source = r.commands.importTextSource({ name: "Interview 1", text: "I hope so. Maybe." });
  return { code, source };
}

describe("batch", () => {
  it("writes every command of the batch, in one commit (local-ops listeners run once)", () => {
    const { code, source } = withSource();
    let notified = 0;
    r.sync.onLocalOps(() => notified++);
    const before = r.sync.opsAfter().length;
    const ids = r.commands.batch((c) => {
      const a = c.codeSegment({ code, source, start: 2, end: 6 });
      c.editMemo("segment", a, { insert: "hopeful", at: 0 });
      return [a, c.codeSegment({ code, source, start: 11, end: 16, important: true })];
    });
    expect(ids).toHaveLength(2);
    expect(r.read.segments({ source }).map((s) => [s.text, s.memo, s.important])).toEqual([
      ["hope", "hopeful", false],
      ["Maybe", "", true],
    ]);
    expect(r.sync.opsAfter().length).toBe(before + 3);
    expect(notified).toBe(1);
  });

  it("writes nothing when one command of the batch is refused", () => {
    const { code, source } = withSource();
    const before = r.sync.opsAfter().length;
    const state = r.read.canonicalState();
    expect(() =>
      r.commands.batch((c) => {
        c.codeSegment({ code, source, start: 2, end: 6 });
        c.codeSegment({ code, source, start: 11, end: 99 });
      }),
    ).toThrow(CommandError);
    expect(r.sync.opsAfter().length).toBe(before);
    expect(r.read.canonicalState()).toBe(state);
    expect(r.read.segments()).toEqual([]);
  });

  it("a refused command that the batch catches leaves nothing of itself; the others commit, with one notification", () => {
    const { code, source } = withSource();
    let notified = 0;
    r.sync.onLocalOps(() => notified++);
    const before = r.sync.opsAfter().length;
    const refused = r.commands.batch((c) => {
      c.rename("code", code, "Hoping");
      let error: unknown;
      try {
        c.codeSegment({ code, source, start: 11, end: 99 });
      } catch (e) {
        error = e;
      }
      c.codeSegment({ code, source, start: 2, end: 6 });
      return error;
    });
    expect(refused).toBeInstanceOf(CommandError);
    expect(r.sync.opsAfter().length).toBe(before + 2);
    expect(r.read.segments({ source }).map((s) => s.text)).toEqual(["hope"]);
    expect(notified).toBe(1);
  });

  it("a write that fails after the op is stored (no savepoint inside a batch) rolls back the whole batch, even when fn catches it", () => {
    const { code } = withSource();
    const other = r.commands.createCode({ name: "Fear", color: "#aa0000" });
    // The op row goes in, then materialising its name write fails: half an append.
    const nameRegister = registerTag("code", code, "name");
    replicaDb(r).exec(`CREATE TEMP TRIGGER fail_name_write BEFORE INSERT ON m_register_writes WHEN NEW.reg = ${nameRegister}
      BEGIN SELECT RAISE(ABORT, 'disk trouble'); END`);
    let notified = 0;
    r.sync.onLocalOps(() => notified++);
    const before = r.sync.opsAfter().length;
    const state = r.read.canonicalState();
    const caught: unknown[] = [];
    expect(() =>
      r.commands.batch((c) => {
        c.recolour("code", other, "#00ff00");
        try {
          c.rename("code", code, "Hoping");
        } catch (error) {
          caught.push(error);
        }
      }),
    ).toThrow("disk trouble");
    expect(caught).toHaveLength(1);
    expect(r.sync.opsAfter().length).toBe(before);
    expect(r.read.canonicalState()).toBe(state);
    expect(notified).toBe(0);
    // The next transaction starts clean: the failure belongs to the rolled-back batch only.
    r.commands.recolour("code", other, "#00ff00");
    expect(r.read.entity("code", other)?.fields["color"]).toBe("#00ff00");
    expect(notified).toBe(1);
  });
});
