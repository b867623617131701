import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createReplica, type Replica } from "@qc/core";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { settleConflict } from "./conflict-settle.js";
import { editMemoFrom } from "./memo-rebase.js";

const dirs: Array<string> = [];
const open: Array<Replica> = [];
afterEach(() => {
  for (const r of open.splice(0)) r.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function replica(name = "a.qc", project?: string): Replica {
  const dir = dirs[0] ?? mkdtempSync(join(tmpdir(), "qc-memo-"));
  if (dirs.length === 0) dirs.push(dir);
  const r = createReplica(join(dir, name), { actor: name === "a.qc" ? "ana" : "ben", ...(project === undefined ? {} : { project }) });
  open.push(r);
  return r;
}
const memo = (r: Replica, id: string) => String(r.read.entity("code", id)?.fields["memo"] ?? "");

describe("a memo saved from the text the editor started from", () => {
  it("keeps a colleague's edit that arrived after the editor loaded", () => {
    const r = replica();
    const code = r.commands.createCode({ name: "Hope", color: "#112233" });
    editMemoFrom(r, "code", code, "", "The flood.");
    editMemoFrom(r, "code", code, "The flood.", "Ben: The flood."); // a colleague, from the same base
    expect(editMemoFrom(r, "code", code, "The flood.", "The flood. Ana adds this.")).toBe("Ben: The flood. Ana adds this.");
  });

  it("leaves the memo alone when nothing was changed in the editor", () => {
    const r = replica();
    const code = r.commands.createCode({ name: "Hope", color: "#112233" });
    editMemoFrom(r, "code", code, "", "kept");
    const before = r.read.logPosition();
    expect(editMemoFrom(r, "code", code, "stale", "stale")).toBe("kept");
    expect(r.read.logPosition()).toBe(before);
  });

  it("with no edit in between, the memo becomes exactly what the editor shows (property)", () => {
    const r = replica();
    const code = r.commands.createCode({ name: "Hope", color: "#112233" });
    fc.assert(
      fc.property(fc.string(), (text) => {
        const base = memo(r, code);
        expect(editMemoFrom(r, "code", code, base, text)).toBe(text);
      }),
      { numRuns: 60 },
    );
  });

  it("refuses a memo on something that is not there, writing nothing", () => {
    const r = replica();
    const before = r.read.logPosition();
    expect(() => editMemoFrom(r, "code", "no-such-code", "", "x")).toThrow(/no code/);
    expect(r.read.logPosition()).toBe(before);
  });
});

describe("settling a conflict", () => {
  it("writes the kept value and resolves in one step; an unknown conflict writes nothing", () => {
    const a = replica();
    const b = replica("b.qc", a.project);
    b.sync.ingest(a.sync.opsAfter());
    const code = a.commands.createCode({ name: "Hope", color: "#112233" });
    b.sync.ingest(a.sync.opsAfter());
    a.commands.rename("code", code, "Hope (Ana)");
    b.commands.rename("code", code, "Optimism");
    a.sync.ingest(b.sync.opsAfter());
    const [conflict] = a.read.conflicts();
    expect(conflict?.kind).toBe("concurrent-edit");
    const before = a.read.logPosition();
    expect(() => settleConflict(a, "c-unknown", "x")).toThrow(/no open conflict/);
    expect(a.read.logPosition()).toBe(before);
    const loser = a.read.entity("code", code)?.fields["name"] === "Optimism" ? "Hope (Ana)" : "Optimism";
    settleConflict(a, conflict!.id, loser);
    expect(a.read.entity("code", code)?.fields["name"]).toBe(loser);
    expect(a.read.conflicts()).toEqual([]);
  });
});
