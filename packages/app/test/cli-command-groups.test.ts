/**
 * The lazy command groups (src/cli/commands/index.ts): each group names
 * exactly the top-level commands it registers, so `qc NAME` loads the group
 * that owns NAME and no command is lost; and a run loads only what it needs.
 */
import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { COMMAND_GROUPS, groupsFor } from "../src/cli/commands/index.js";
import { makeIo } from "../src/cli/io.js";

describe("qc command groups", () => {
  it("each group declares exactly the commands it registers, and no name is claimed twice", async () => {
    const claimed: Array<string> = [];
    for (const group of COMMAND_GROUPS) {
      const program = new Command("qc");
      (await group.load())(program, makeIo());
      const registered = program.commands.flatMap((c) => [c.name(), ...c.aliases()]);
      expect(registered.sort()).toEqual([...group.commands].sort());
      claimed.push(...group.commands);
    }
    expect(new Set(claimed).size).toBe(claimed.length);
  });

  it("a command loads only its own group; help and unknown commands load them all", () => {
    expect(groupsFor(["status", "--json", "-p", "x.qc"]).map((g) => g.commands)).toEqual([["sync", "status"]]);
    expect(groupsFor(["codes", "--json"]).map((g) => g.commands)).toEqual([["codes", "code", "category"]]);
    expect(groupsFor(["--help"])).toBe(COMMAND_GROUPS);
    expect(groupsFor(["help", "codes"])).toBe(COMMAND_GROUPS);
    expect(groupsFor(["cods"])).toBe(COMMAND_GROUPS);
  });
});
