/**
 * Tools that read the project (all local, read-only): the code and source
 * trees, one code, one source with its text and segments, segments by code,
 * source or coder with the quoted text, phrase search, conflicts, history,
 * blame, the project at a point in time, and the team's members (asked of
 * the sync server).
 */
import * as z from "zod";
import { projectHistory, searchText, stateAt, viewCode, viewSource, type Project } from "../project/index.js";
import { codeView, conflict, entityType, fieldBlame, member, op, passage, segmentView, sourceView, treeNode } from "./schemas.js";
import { addTool, LOCAL_READ, REMOTE_READ, type ToolContext } from "./tool-kit.js";

const pointInTime = z.string().describe("an ISO time such as 2026-11-25T12:00:00Z, or an op's HLC");

export function addReadTools(ctx: ToolContext, project: Project): void {
  const read = () => project.replica.read;
  addTool(
    ctx,
    "list_codes",
    { title: "List codes", description: "The code tree: categories and codes with their colours, ids and segment counts (a count includes sub-codes).", input: {}, output: { codes: z.array(treeNode) }, annotations: LOCAL_READ },
    () => ({ codes: [...read().tree("codes")] }),
  );
  addTool(
    ctx,
    "get_code",
    { title: "Get a code", description: "One code: name, colour, category, memo, number of segments.", input: { code_id: z.string() }, output: codeView, annotations: LOCAL_READ },
    ({ code_id }) => viewCode(project.replica, code_id),
  );
  addTool(
    ctx,
    "list_sources",
    { title: "List sources", description: "The source tree: folders and sources (interviews, documents) with their ids and segment counts.", input: {}, output: { sources: z.array(treeNode) }, annotations: LOCAL_READ },
    () => ({ sources: [...read().tree("sources")] }),
  );
  addTool(
    ctx,
    "get_source",
    { title: "Get a source", description: "One source with its full text and its coded segments (positions are character indexes into the text).", input: { source_id: z.string() }, output: sourceView, annotations: LOCAL_READ },
    ({ source_id }) => viewSource(project.replica, source_id),
  );
  addTool(
    ctx,
    "list_segments",
    {
      title: "List coded segments",
      description: "Coded segments with the passage each covers, filtered by code (including codes merged into it), source and/or coder.",
      input: { code_id: z.string().optional(), source_id: z.string().optional(), coder: z.string().optional().describe("the researcher (or agent:<researcher>) who coded it") },
      output: { segments: z.array(segmentView) },
      annotations: LOCAL_READ,
    },
    ({ code_id, source_id, coder }) => ({
      segments: [...read().segments({ ...(code_id === undefined ? {} : { code: code_id }), ...(source_id === undefined ? {} : { source: source_id }), ...(coder === undefined ? {} : { coder }) })],
    }),
  );
  addTool(
    ctx,
    "search_text",
    {
      title: "Search the sources",
      description: "Passages of the text sources that contain a phrase (case-insensitive), with their positions and some context, ready for batch_apply_codes.",
      input: { phrase: z.string().min(1), limit: z.number().int().positive().max(1000).optional() },
      output: { passages: z.array(passage) },
      annotations: LOCAL_READ,
    },
    ({ phrase, limit }) => ({ passages: [...searchText(project.replica, phrase, limit)] }),
  );
  addTool(
    ctx,
    "list_conflicts",
    { title: "List conflicts", description: "Concurrent edits the team should look at (open ones, or all).", input: { include_resolved: z.boolean().optional() }, output: { conflicts: z.array(conflict) }, annotations: LOCAL_READ },
    ({ include_resolved }) => ({ conflicts: [...read().conflicts({ includeResolved: include_resolved === true })] }),
  );
  addTool(
    ctx,
    "get_history",
    {
      title: "History",
      description: "The audit trail: ops (who changed what, when), oldest first, filtered by entity, actor and/or time range; the newest `limit` (default 200).",
      input: {
        entity_type: entityType.optional(),
        entity_id: z.string().optional(),
        actor: z.string().optional(),
        from: pointInTime.optional(),
        to: pointInTime.optional(),
        limit: z.number().int().positive().max(5000).optional(),
      },
      output: { ops: z.array(op) },
      annotations: LOCAL_READ,
    },
    ({ entity_type, entity_id, actor, from, to, limit }) => ({
      ops: [...projectHistory(project.replica, { entity: entity_type !== undefined && entity_id !== undefined ? { type: entity_type, id: entity_id } : undefined, actor, from, to, limit })],
    }),
  );
  addTool(
    ctx,
    "blame",
    { title: "Blame", description: "For each field of an entity, the op (actor, time) that set its current value.", input: { entity_type: entityType, entity_id: z.string() }, output: { fields: z.record(z.string(), z.array(fieldBlame)) }, annotations: LOCAL_READ },
    ({ entity_type, entity_id }) => ({ fields: read().blame(entity_type, entity_id) }),
  );
  addTool(
    ctx,
    "get_state_at",
    { title: "Project at a point in time", description: "The whole project state as it was at a time (replayed from the log).", input: { at: pointInTime }, output: { at: z.string(), state: z.unknown() }, annotations: LOCAL_READ },
    ({ at }) => ({ at, state: stateAt(project.replica, at) }),
  );
  addTool(
    ctx,
    "list_members",
    { title: "List team members", description: "The project's members and their roles, from the sync server.", input: {}, output: { members: z.array(member) }, annotations: REMOTE_READ },
    async () => ({ members: [...(await project.team.list())] }),
  );
}
