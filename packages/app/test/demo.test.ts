/**
 * `pnpm demo -- --exit` (the README's first command): the team demo plays
 * its whole script over the local backend and the replicas converge with
 * the conflicts the script provokes, then resolves them.
 */
import { describe, expect, it } from "vitest";
import { runDemo } from "../demo/team-demo.js";

describe("pnpm demo (the team through the app)", () => {
  it("plays the script: invites, live edits, one researcher offline, conflicts, an undo, convergence", async () => {
    const lines: Array<string> = [];
    const result = await runDemo({ exit: true, pauseMs: 0, print: (l) => lines.push(l) });
    const text = lines.join("\n");
    expect(result.converged).toBe(true);
    expect(result.conflicts.map((c) => c.split(":")[0]).sort()).toEqual(["concurrent edit", "duplicate name", "move skipped"]);
    for (const name of ["Ben", "Chloe", "Dara"]) expect(text).toContain(`${name} joined with an invite`);
    expect(text).toMatch(/Dara\s+cloud sync off · 5 to push/);
    expect(text).toMatch(/open conflicts on each replica: Ana 0, Ben 0, Chloe 0, Dara 0/);
    expect(text).toContain("Humour on each replica: Ana deleted, Ben deleted, Chloe deleted, Dara deleted");
    expect(text).toContain(
      "Humour on each replica: Ana back (1 segment), Ben back (1 segment), Chloe back (1 segment), Dara back (1 segment)",
    );
    expect(text).not.toMatch(/[0-9a-f]{64}/); // no member token is ever printed
  });
});
