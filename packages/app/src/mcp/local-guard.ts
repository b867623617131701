/**
 * Hono middleware for qc's local servers (DESIGN.md §9): the request must
 * name this loopback server in Host and, when a browser sends one, Origin
 * (a page on another site that rebinds its DNS name to 127.0.0.1 gets 403),
 * then carry the launch token, as `Authorization: Bearer <token>` or
 * `?token=` (for clients that cannot set headers, e.g. the conformance
 * CLI), or in the cookie named by `cookie` (the web UI's same-site,
 * HttpOnly cookie, set once the launch URL is opened). Host and Origin are checked first: a rebinding request gets 403
 * whatever its token. The token is compared in constant time, never logged.
 */
import { timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

export interface LocalGuardOptions {
  /** The port this server listens on (known once it listens). */
  readonly port: () => number;
  readonly token: string;
  /** A cookie that may carry the token (the web UI's). */
  readonly cookie?: string;
}

export function localGuard(options: LocalGuardOptions): MiddlewareHandler {
  return async (c, next) => {
    const port = options.port();
    if (!hostOk(c.req.header("host"), port) || !originOk(c.req.header("origin"), port)) {
      return c.json(
        rpcError(
          `Forbidden: this is qc's local server; Host and Origin must be 127.0.0.1:${port} or localhost:${port} (DNS rebinding guard)`,
        ),
        403,
      );
    }
    const auth = c.req.header("authorization");
    const given =
      auth?.startsWith("Bearer ") === true
        ? auth.slice(7)
        : (c.req.query("token") ?? (options.cookie === undefined ? undefined : getCookie(c, options.cookie)));
    if (given === undefined || !sameSecret(given, options.token)) {
      return c.json(
        rpcError('Unauthorized: pass the launch token that qc printed at start as "Authorization: Bearer <token>" (or ?token=<token>)'),
        401,
        {
          "WWW-Authenticate": "Bearer",
        },
      );
    }
    await next();
  };
}

function hostOk(host: string | undefined, port: number): boolean {
  if (host === undefined) return false;
  let url: URL;
  try {
    url = new URL(`http://${host}`);
  } catch {
    return false;
  }
  return LOOPBACK.has(url.hostname) && (url.port === "" ? 80 : Number(url.port)) === port;
}

function originOk(origin: string | undefined, port: number): boolean {
  if (origin === undefined) return true; // non-browser clients send none
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  return url.protocol === "http:" && hostOk(url.host, port);
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function rpcError(message: string) {
  return { jsonrpc: "2.0", error: { code: -32000, message }, id: null };
}
