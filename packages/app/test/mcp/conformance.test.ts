/**
 * The MCP conformance suite (@modelcontextprotocol/conformance, a
 * devDependency run offline) against qc's /mcp: every server scenario passes
 * or is an expected failure in conformance/expected-failures.yml, each with
 * its reason; a new failure or a stale entry fails this test.
 */
import { describe, expect, it } from "vitest";
import { runConformance } from "./conformance/run-suite.js";

describe("MCP conformance suite against /mcp", () => {
  it("passes every server scenario a real server can pass; the rest are the committed baseline", async () => {
    const { code, output } = await runConformance([], "pipe");
    expect(output).toMatch(/✓ dns-rebinding-protection/);
    expect(output).toMatch(/✓ resources-subscribe/);
    expect(code, output.slice(-4000)).toBe(0);
  }, 240_000);
});
