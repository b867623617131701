import { describe, expect, it } from "vitest";
import { main } from "../demo/three-researchers.js";

describe("pnpm demo (three researchers)", () => {
  it("ends with the same state on all three replicas and reports every kind of conflict", () => {
    const lines: Array<string> = [];
    const result = main({ print: (line) => lines.push(line) });
    expect(result.converged).toBe(true);
    expect(new Set(result.hashes).size).toBe(1);
    expect(result.conflicts).toHaveLength(4);
    const text = lines.join("\n");
    expect(text).toContain("changed by two people at once");
    expect(text).toContain("would have put it inside itself");
    expect(text).toContain("have the same name");
    expect(text).toContain("was deleted by an edit");
    expect(text).toContain("Audit trail of code");
    expect(text).toContain("before anyone went offline (stateAt, identical to a replay)");
    expect(text).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/); // no stack traces
  });
});
