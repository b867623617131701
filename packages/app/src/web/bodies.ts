/**
 * The JSON bodies the web API accepts, one zod schema each, parsed in one
 * place: a body that does not fit is an AppError "invalid-argument" naming
 * the field (HTTP 400 through the error table), and nothing is written.
 */
import type { Context } from "hono";
import * as z from "zod";
import { appError } from "../project/index.js";

const name = z.string();
const color = z.string();

export const bodies = {
  cloudSync: z.object({ cloudSyncEnabled: z.boolean(), convexUrl: z.string().optional() }),
  url: z.object({ convexUrl: z.string() }),
  invite: z.object({ invite: z.string() }),
  teamCreate: z.object({ creationKey: z.string().optional() }),
  member: z.object({ name: z.string(), role: z.enum(["editor", "viewer"]) }),
  code: z.object({ kind: z.enum(["code", "category"]), name, color: color.optional(), parent: z.string().optional() }),
  codeEdit: z.object({ name: name.optional(), color: color.optional(), parent: z.string().nullable().optional() }),
  merge: z.object({ into: z.string() }),
  source: z.object({ name, text: z.string() }),
  segment: z.object({ code: z.string(), source: z.string(), start: z.number().int(), end: z.number().int() }),
  segmentEdit: z.object({ important: z.boolean().optional(), code: z.string().optional() }),
  memo: z.object({ base: z.string(), text: z.string() }),
  settle: z.object({ value: z.union([z.string(), z.number(), z.boolean(), z.null()]).optional() }),
  undo: z.object({ op: z.string() }),
} as const;

export async function parseBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch {
    throw appError("invalid-argument", "the request body is not JSON; send a JSON object");
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw appError("invalid-argument", `${issue?.path.join(".") || "body"}: ${issue?.message ?? "not accepted"}`);
  }
  return parsed.data;
}
