/**
 * The HTTP endpoints ConvexHttpClient (convex 1.48.0) calls:
 * POST /api/query, /api/mutation, /api/action with
 * `{path, format: "convex_encoded_json", args: [encodedArgs]}`, answered
 * `200 {status: "success", value, logLines}` or
 * `560 {status: "error", errorMessage, errorData?, logLines}` (560 is Convex's
 * "function failed" status); POST /api/query_ts; GET /version. A body over
 * MAX_REQUEST_BYTES is answered 413 and not read further (request-body.ts).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { JSONValue } from "convex/values";
import type { BackendState } from "./backend-state.js";
import { broadcast, commitMutation } from "./commit.js";
import type { UdfType } from "./udf.js";
import { encodeTs, type UdfOutcome } from "./wire.js";
import { CONVEX_VERSION } from "./convex-version.js";
import { readBoundedBody, tooLargeMessage } from "./request-body.js";

/** Convex's status code for "the function ran and failed". */
const STATUS_UDF_FAILED = 560;

export async function handleHttp(state: BackendState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? "/", "http://localhost").pathname;
  if (req.method === "GET" && path === "/version") return reply(res, 200, CONVEX_VERSION, "text/plain");
  if (req.method !== "POST") return reply(res, 404, "not found", "text/plain");
  if (path === "/api/query_ts") return reply(res, 200, JSON.stringify({ ts: encodeTs(state.now()) }));
  const type = udfTypeFor(path);
  if (type === undefined) return reply(res, 404, `no endpoint ${path}`, "text/plain");
  const raw = await readBoundedBody(req);
  if (raw === "too-large") return refuseTooLarge(req, res);
  const body = parseCall(raw);
  if (body === undefined) return reply(res, 400, "expected {path, args}", "text/plain");
  const outcome = await state.queue.run(() => execute(state, type, body.path, body.args));
  if (outcome.success) return reply(res, 200, JSON.stringify({ status: "success", value: outcome.value, logLines: [] }));
  const { errorMessage, errorData } = outcome;
  const failure = { status: "error", errorMessage, ...(errorData !== undefined ? { errorData } : {}), logLines: [] };
  return reply(res, STATUS_UDF_FAILED, JSON.stringify(failure));
}

async function execute(state: BackendState, type: UdfType, path: string, args: JSONValue[]): Promise<UdfOutcome> {
  if (type === "mutation") return (await commitMutation(state, path, args)).outcome;
  const outcome = await state.run(type, path, args);
  if (type === "action") await broadcast(state, state.nextTs()); // it may have run mutations
  return outcome;
}

function udfTypeFor(path: string): UdfType | undefined {
  if (path === "/api/query" || path === "/api/query_at_ts") return "query";
  if (path === "/api/mutation") return "mutation";
  if (path === "/api/action") return "action";
  return undefined;
}

function parseCall(raw: Buffer): { path: string; args: JSONValue[] } | undefined {
  try {
    const body = JSON.parse(raw.toString("utf8")) as { path?: unknown; args?: unknown };
    if (typeof body.path !== "string") return undefined;
    const args = Array.isArray(body.args) ? (body.args as JSONValue[]) : [body.args as JSONValue];
    return { path: body.path, args };
  } catch {
    return undefined;
  }
}

/** 413, then the connection closes; the rest of the body is discarded, never kept. */
function refuseTooLarge(req: IncomingMessage, res: ServerResponse): void {
  res.setHeader("connection", "close");
  reply(res, 413, tooLargeMessage(), "text/plain");
  req.resume();
}

function reply(res: ServerResponse, status: number, body: string, type = "application/json"): void {
  res.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(body) });
  res.end(body);
}
