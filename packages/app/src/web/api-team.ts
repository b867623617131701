/**
 * The web API for the team on Settings: publish the project (create the
 * team), invite a colleague (the invite is in the answer once and never
 * stored or logged), list the members, revoke one, and use an invite in this
 * file. A deployment that requires a project-creation key gets it from the
 * page's field (asked for once the deployment refuses without it; never
 * stored). Thin calls into the project service (project/team.ts through
 * `project.team`); the refusals the page can foresee are said here in the
 * page's words (the service's own name CLI flags), before anything is sent.
 */
import type { Hono } from "hono";
import { RemoteError } from "@qc/core";
import { appError, takeSyncRole, type Project } from "../project/index.js";
import { useInvite } from "../project/connection-check.js";
import { bodies, parseBody } from "./bodies.js";

export function teamRoutes(app: Hono, project: Project): void {
  app.post("/api/team", async (c) => {
    const body = await parseBody(c, bodies.teamCreate);
    const settings = project.settings();
    if (settings.token !== undefined) throw appError("invalid-argument", "this project is already shared with a team");
    if (!settings.cloudSyncEnabled || project.settingsView().convexUrl === null) {
      throw appError(
        "not-configured",
        "Cloud sync is off: tick “Enable cloud sync with Convex”, enter the deployment URL and Save, then create the team.",
      );
    }
    const key = body.creationKey?.trim() ?? "";
    await project.team.create(key === "" ? {} : { creationKey: key }).catch(withKeyHint);
    takeSyncRole(project);
    return c.json({ owner: project.settings().actor });
  });
  app.get("/api/team/members", async (c) => c.json({ me: project.settings().actor, members: await project.team.list() }));
  app.post("/api/team/members", async (c) => {
    const body = await parseBody(c, bodies.member);
    if (body.name.trim() === "") throw appError("invalid-argument", "Type your colleague's name first: the name they will work under.");
    const { invite } = await project.team.invite(body.name, body.role);
    return c.json({ actor: body.name.trim(), role: body.role, invite });
  });
  app.delete("/api/team/members/:actor", async (c) => {
    await project.team.revoke(c.req.param("actor"));
    return c.json({ actor: c.req.param("actor") });
  });
  app.post("/api/team/invite", async (c) => {
    await useInvite(project, (await parseBody(c, bodies.invite)).invite);
    return c.json({ actor: project.settings().actor });
  });
}

/** projects:create refuses "forbidden" only for the deployment's creation key: say where to give it on the page. */
function withKeyHint(error: unknown): never {
  if (error instanceof RemoteError && error.reason === "forbidden") {
    throw new RemoteError({
      ...error,
      message: `${error.message.replace(/ and pass it as `key`/, "")} Enter it in “Project-creation key” and press Create team again.`,
    });
  }
  throw error;
}
