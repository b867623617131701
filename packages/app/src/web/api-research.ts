/**
 * The web API for the research work: the project header, codes and
 * categories (create, rename, recolour, move, delete, restore, merge),
 * sources and their coded segments, segment flags, and memos (saved from
 * the text the page started from, so concurrent edits merge). Every write
 * goes through the project service (project/research/, memo-rebase.ts).
 */
import type { Hono } from "hono";
import { type Project } from "../project/index.js";
import {
  addCode,
  codeTree,
  deleteCode,
  mergeCode,
  moveCode,
  recolourCode,
  renameCode,
  restoreCode,
  type CodeKind,
} from "../project/research/codes.js";
import { listSources, showSource } from "../project/research/sources.js";
import { codePassage, markImportant, recodeSegment } from "../project/research/segments.js";
import { CODE_PALETTE } from "../project/research-edits.js";
import { editMemoFrom } from "../project/memo-rebase.js";
import { MEMO_TYPES, type MemoType } from "../project/research/memos.js";
import { appError } from "../project/index.js";
import { bodies, parseBody } from "./bodies.js";

export function researchRoutes(app: Hono, project: Project): void {
  const { replica } = project;
  app.get("/api/project", (c) => {
    const coders = [...new Set(replica.read.segments().map((s) => s.coder))].sort();
    return c.json({ name: project.info().name, actor: replica.actor, project: replica.project, coders });
  });
  app.get("/api/codes", (c) => {
    const deleted = (["category", "code"] as const).flatMap((type) =>
      replica.read
        .entities(type, { includeDeleted: true })
        .filter((e) => e.deleted)
        .map((e) => ({ type, id: e.id, name: String(e.fields["name"] ?? "") })),
    );
    // By name, as the code picker shows them: ids only sort by creation time to the millisecond.
    const codes = replica.read
      .entities("code")
      .map((e) => ({
        id: e.id,
        name: String(e.fields["name"] ?? ""),
        color: String(e.fields["color"] ?? ""),
        memo: String(e.fields["memo"] ?? ""),
      }))
      .sort((a, b) => a.name.localeCompare(b.name) || (a.id < b.id ? -1 : 1));
    return c.json({ tree: codeTree(replica), deleted, codes });
  });
  app.post("/api/codes", async (c) => {
    const body = await parseBody(c, bodies.code);
    const color = body.color ?? CODE_PALETTE[replica.read.entities(body.kind).length % CODE_PALETTE.length]!;
    return c.json(
      { id: addCode(replica, { kind: body.kind, name: body.name, color, ...(body.parent === undefined ? {} : { parent: body.parent }) }) },
      201,
    );
  });
  app.patch("/api/codes/:kind/:id", async (c) => {
    const kind = codeKind(c.req.param("kind"));
    const id = c.req.param("id");
    const body = await parseBody(c, bodies.codeEdit);
    if (body.name !== undefined) renameCode(replica, kind, id, body.name);
    if (body.color !== undefined) recolourCode(replica, kind, id, body.color);
    if (body.parent !== undefined) moveCode(replica, kind, id, body.parent);
    return c.json({ id });
  });
  app.delete("/api/codes/:kind/:id", (c) => c.json({ id: deleteCode(replica, codeKind(c.req.param("kind")), c.req.param("id")) }));
  app.post("/api/codes/:kind/:id/restore", (c) => c.json({ id: restoreCode(replica, codeKind(c.req.param("kind")), c.req.param("id")) }));
  app.post("/api/codes/code/:id/merge", async (c) =>
    c.json(mergeCode(replica, c.req.param("id"), (await parseBody(c, bodies.merge)).into)),
  );

  app.get("/api/sources", (c) => c.json(listSources(replica)));
  app.post("/api/sources", async (c) => {
    const body = await parseBody(c, bodies.source);
    return c.json({ id: replica.commands.importTextSource({ name: body.name, text: body.text }) }, 201);
  });
  app.get("/api/sources/:id", (c) => {
    const source = showSource(replica, c.req.param("id"));
    const memo = String(replica.read.entity("source", source.id)?.fields["memo"] ?? "");
    return c.json({ ...source, memo });
  });
  app.post("/api/segments", async (c) => {
    const body = await parseBody(c, bodies.segment);
    return c.json(
      { id: codePassage(replica, { code: body.code, source: body.source, passage: { start: body.start, end: body.end } }) },
      201,
    );
  });
  app.patch("/api/segments/:id", async (c) => {
    const id = c.req.param("id");
    const body = await parseBody(c, bodies.segmentEdit);
    if (body.important !== undefined) markImportant(replica, id, body.important);
    if (body.code !== undefined) recodeSegment(replica, id, body.code);
    return c.json({ id });
  });
  app.delete("/api/segments/:id", (c) => {
    replica.commands.remove("segment", c.req.param("id"));
    return c.json({ id: c.req.param("id") });
  });
  app.get("/api/memos", (c) => {
    const memoOf = (type: "code" | "source", id: string) => String(replica.read.entity(type, id)?.fields["memo"] ?? "");
    return c.json({
      codes: replica.read.entities("code").map((e) => ({ id: e.id, name: String(e.fields["name"] ?? ""), memo: memoOf("code", e.id) })),
      sources: replica.read
        .entities("source")
        .map((e) => ({ id: e.id, name: String(e.fields["name"] ?? ""), memo: memoOf("source", e.id) })),
      segments: replica.read.segments().map((s) => ({ id: s.id, text: s.text, code: s.code, coder: s.coder, memo: s.memo })),
    });
  });
  app.put("/api/memos/:type/:id", async (c) => {
    const type = memoType(c.req.param("type"));
    const body = await parseBody(c, bodies.memo);
    return c.json({ memo: editMemoFrom(replica, type, c.req.param("id"), body.base, body.text) });
  });
}

function codeKind(value: string): CodeKind {
  if (value === "code" || value === "category") return value;
  throw appError("invalid-argument", `${JSON.stringify(value)} is neither "code" nor "category"`);
}

function memoType(value: string): Exclude<MemoType, "project"> {
  if ((MEMO_TYPES as ReadonlyArray<string>).includes(value) && value !== "project") return value as Exclude<MemoType, "project">;
  throw appError(
    "invalid-argument",
    `memos are kept on ${MEMO_TYPES.filter((t) => t !== "project").join(", ")}, not on ${JSON.stringify(value)}`,
  );
}
