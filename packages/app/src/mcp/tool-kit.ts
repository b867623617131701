/**
 * How every qc tool is registered: zod input and output shapes, all four
 * annotations, the result as `structuredContent` beside a text rendering,
 * and every failure as an `isError` result whose message (from the app's
 * one error table) says what was wrong and what to do. A tool never throws
 * to the SDK, and no text leaves with the member token in it.
 */
import type { McpServer, ToolCallback } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult, ToolAnnotations } from "@modelcontextprotocol/sdk/types.js";
import type * as z from "zod";
import { maskToken, reportError } from "../project/index.js";

type Shape = z.ZodRawShape;

/** Reads the local file only, changes nothing. */
export const LOCAL_READ: ToolAnnotations = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };
/** Adds to the project (new ops); never removes anything. */
export const LOCAL_EDIT: ToolAnnotations = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false };
/** Asks the sync server, changes nothing. */
export const REMOTE_READ: ToolAnnotations = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true };

/** `output` is the schema the SDK checks each result against (R is the service's view type). */
export interface ToolSpec<I extends Shape, O extends Shape, R extends object> {
  readonly title: string;
  readonly description: string;
  readonly input: I;
  readonly output: O;
  readonly annotations: ToolAnnotations;
  /** The text beside the structured result (default: its JSON). */
  readonly render?: (result: R) => string;
}

export interface ToolContext {
  readonly server: McpServer;
  /** The member token, to keep it out of every message. */
  readonly secret: () => string | undefined;
  /** Where unexpected failures are logged (stderr). */
  readonly log: (text: string) => void;
}

export function addTool<I extends Shape, O extends Shape, R extends object>(
  ctx: ToolContext,
  name: string,
  spec: ToolSpec<I, O, R>,
  run: (args: z.infer<z.ZodObject<I>>) => R | Promise<R>,
): void {
  const handler = async (args: z.infer<z.ZodObject<I>>): Promise<CallToolResult> => {
    try {
      const result = await run(args);
      const text = spec.render === undefined ? JSON.stringify(result, null, 2) : spec.render(result);
      return { content: [{ type: "text", text: scrub(text, ctx.secret()) }], structuredContent: result as Record<string, unknown> };
    } catch (error) {
      return errorResult(ctx, error);
    }
  };
  ctx.server.registerTool(
    name,
    {
      title: spec.title,
      description: spec.description,
      inputSchema: spec.input,
      outputSchema: spec.output,
      annotations: { title: spec.title, ...spec.annotations },
    },
    handler as unknown as ToolCallback<I>,
  );
}

function errorResult(ctx: ToolContext, error: unknown): CallToolResult {
  const report = reportError(error);
  if (report.exitCode === 1)
    ctx.log(`qc mcp: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  const text = scrub(`${report.message} [${report.error}]`, ctx.secret());
  return { isError: true, content: [{ type: "text", text }] };
}

function scrub(text: string, token: string | undefined): string {
  return token === undefined || token === "" ? text : text.replaceAll(token, maskToken(token) ?? "");
}
