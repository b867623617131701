/**
 * The web API for Settings > Database and "Sync now": thin calls into the
 * project service (settings are applied to the running engine at once; this
 * server takes the sync role when sync is turned on and nobody else holds
 * it). The team's routes are in api-team.ts.
 */
import type { Hono } from "hono";
import { configureCloudSync, syncNowWithin, type Project } from "../project/index.js";
import { testConnection } from "../project/connection-check.js";
import { bodies, parseBody } from "./bodies.js";

/** How long "Sync now" waits before it says what is going on. */
const SYNC_NOW_MS = 15_000;

export function settingsRoutes(app: Hono, project: Project): void {
  const view = () => ({ ...project.settingsView(), hasTeam: project.settings().token !== undefined });
  app.get("/api/settings", (c) => c.json(view()));
  app.put("/api/settings", async (c) => {
    const body = await parseBody(c, bodies.cloudSync);
    await configureCloudSync(project, { enabled: body.cloudSyncEnabled, convexUrl: body.convexUrl });
    return c.json(view());
  });
  app.post("/api/settings/test", async (c) => c.json(await testConnection(project, (await parseBody(c, bodies.url)).convexUrl)));
  app.post("/api/sync-now", async (c) => c.json(await syncNowWithin(project, SYNC_NOW_MS)));
}
