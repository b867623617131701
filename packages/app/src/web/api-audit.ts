/**
 * The web API for the conflict inbox (each conflict with the competing
 * values and who wrote them; settle = write the kept value and resolve),
 * the history timeline (filtered by entity, researcher and time), the
 * project "as of" a moment (read-only, replayed in memory), blame, and undo.
 */
import type { Hono } from "hono";
import type { EntityType, Replica } from "@qc/core";
import { type Project } from "../project/index.js";
import { blameEntity, readLog, stateAt, undo, type LogQuery } from "../project/audit.js";
import { conflictWrites, settleConflict } from "../project/conflict-settle.js";
import { nameOf } from "../project/research/refs.js";
import { bodies, parseBody } from "./bodies.js";

const TIMELINE_LIMIT = 300;

export function auditRoutes(app: Hono, project: Project): void {
  const { replica } = project;
  app.get("/api/conflicts", (c) =>
    c.json(
      replica.read.conflicts().map((conflict) => ({
        ...conflict,
        name: nameOf(replica.read.entity(conflict.type, conflict.entity)),
        field: (conflict.detail as { field?: string } | null)?.field ?? null,
        writes: conflictWrites(conflict),
      })),
    ),
  );
  app.post("/api/conflicts/:id/settle", async (c) => {
    const body = await parseBody(c, bodies.settle);
    settleConflict(replica, c.req.param("id"), body.value);
    return c.json({ id: c.req.param("id") });
  });
  app.get("/api/history", (c) => {
    const q = c.req.query();
    const query: LogQuery = {
      ...(q["type"] !== undefined && q["id"] !== undefined ? { entity: { type: q["type"] as EntityType, ref: q["id"] } } : {}),
      ...(q["actor"] ? { actor: q["actor"] } : {}),
      ...(q["since"] ? { since: q["since"] } : {}),
      ...(q["until"] ? { until: q["until"] } : {}),
    };
    const entries = readLog(replica, query).slice(-TIMELINE_LIMIT).reverse();
    const passages = new Map(replica.read.segments().map((s) => [s.id, s.text]));
    return c.json(
      entries.map((e) => ({
        ...e,
        name: e.target.type === "segment" ? (passages.get(e.target.id) ?? "") : targetName(replica, e.target.type, e.target.id),
      })),
    );
  });
  app.get("/api/as-of", (c) => {
    const past = stateAt(replica, c.req.query("at") ?? "");
    return c.json({ at: past.at, codes: past.codes, sources: past.sources });
  });
  app.get("/api/blame/:type/:id", (c) => c.json(blameEntity(replica, c.req.param("type") as EntityType, c.req.param("id"))));
  app.post("/api/undo", async (c) => c.json(undo(replica, { op: (await parseBody(c, bodies.undo)).op })));
}

function targetName(replica: Replica, type: EntityType, id: string): string {
  return nameOf(replica.read.entity(type, id)) || (type === "project" ? "the project" : "");
}
