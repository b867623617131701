/**
 * `qc serve`: one local web server over one project file (DESIGN.md §9).
 * It binds 127.0.0.1 and checks Host and Origin on every request (the
 * local guard shared with /mcp); the API, events, UI and /mcp need the
 * launch token, which the printed URL carries once: opening it sets a
 * same-site HttpOnly cookie (named by port, so two servers on one machine
 * keep theirs) and redirects to a URL without it. The server runs the
 * project's sync engine when cloud sync is on and no other process syncs
 * the file (the single-syncer lease), and takes the role when Settings
 * turns sync on or when the process that synced the file exits.
 */
import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { setCookie } from "hono/cookie";
import { localGuard } from "../mcp/local-guard.js";
import { mountMcp } from "../mcp/index.js";
import { keepMaintained, keepSyncRole, openProject, reportError, watchStatus, type Environment, type Project } from "../project/index.js";
import { auditRoutes } from "./api-audit.js";
import { researchRoutes } from "./api-research.js";
import { settingsRoutes } from "./api-settings.js";
import { teamRoutes } from "./api-team.js";
import { assetRoutes } from "./assets.js";
import { eventStream } from "./events.js";
import { watchLog } from "./log-watch.js";

const RELAUNCH = `<!doctype html><html lang="en"><meta charset="utf-8"><title>qc: open the link again</title>
<body style="font-family: system-ui, sans-serif; max-width: 36rem; margin: 3rem auto; line-height: 1.5">
<h1>Open the link qc printed</h1><p>This page needs the link that <code>qc serve</code> printed when it started
(it ends in <code>?token=…</code>). If qc serve was restarted, it printed a new one.</p></body></html>`;

export interface WebServerOptions {
  readonly path: string;
  /** 0 (default): any free port. */
  readonly port?: number;
  readonly env: Environment;
  readonly log: (text: string) => void;
}

export interface WebServer {
  readonly port: number;
  /** Opens the UI once (it carries the launch token: a secret, printed once). */
  readonly launchUrl: string;
  readonly project: Project;
  readonly close: () => Promise<void>;
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const project = openProject(options.path, options.env);
  const token = randomBytes(24).toString("base64url");
  let port = options.port ?? 0;
  const cookie = () => `qc_launch_${port}`;
  const status = watchStatus(project);
  const log = watchLog(project);
  const app = new Hono();
  app.onError((error, c) => {
    const report = reportError(error);
    if (report.reason === "unexpected") options.log(`qc serve: ${error.stack ?? error.message}`);
    return c.json({ error: report.reason, message: report.message }, report.httpStatus as 400);
  });
  app.use("*", async (c, next) => {
    // eslint-disable-next-line @typescript-eslint/no-unsafe-argument -- Hono types a "*" route's input as any; the guard reads only headers and cookies
    const refused = await localGuard({ port: () => port, token, cookie: cookie() })(c, next);
    // A browser tab without the cookie (qc serve restarted: a new token) gets words, not JSON.
    if (refused instanceof Response && refused.status === 401 && c.req.header("accept")?.includes("text/html") === true)
      return c.html(RELAUNCH, 401);
    return refused;
  });
  app.get("/", async (c, next) => {
    if (c.req.query("token") === undefined) return next();
    setCookie(c, cookie(), token, { httpOnly: true, sameSite: "Strict", path: "/" });
    return c.redirect("/", 303);
  });
  app.get("/api/events", (c) => eventStream(c, project.replica, log, status));
  settingsRoutes(app, project);
  teamRoutes(app, project);
  researchRoutes(app, project);
  auditRoutes(app, project);
  const mcp = mountMcp(app, project, { token, port: () => port, log: options.log });
  app.all("/api/*", (c) => c.json({ error: "not-found", message: `no API ${c.req.method} ${c.req.path}` }, 404));
  assetRoutes(app);
  const stopKeeping = keepSyncRole(project);
  const stopMaintaining = keepMaintained(project.replica, {
    onError: (error) => options.log(`qc serve: idle maintenance failed: ${String(error)}`),
  });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: "127.0.0.1", port }, () => resolve(s as Server));
    (s as Server).once("error", reject);
  });
  port = (server.address() as AddressInfo).port;
  return {
    port,
    launchUrl: `http://127.0.0.1:${port}/?token=${token}`,
    project,
    close: async () => {
      stopKeeping();
      stopMaintaining();
      await mcp.close();
      log.close();
      status.close();
      server.closeAllConnections(); // open event streams would keep close() waiting
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await project.close();
    },
  };
}
