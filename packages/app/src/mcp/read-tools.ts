/**
 * Tools that read the project (all local, read-only): the code and source
 * trees, one code, one source with its text and segments, segments by code,
 * source or coder with the quoted text, phrase search, conflicts, history,
 * blame, the project at a point in time, and the team's members (asked of
 * the sync server). Entities may be named by id or by name.
 */
import * as z from "zod";
import { blameEntity, listConflicts, readLog, stateAt } from "../project/audit.js";
import { searchText, viewCode, type Project } from "../project/index.js";
import { listSegments } from "../project/research/segments.js";
import { showSource } from "../project/research/sources.js";
import { codeView, conflict, entityType, fieldBlame, logEntry, member, passage, segmentView, sourceDetail, treeNode } from "./schemas.js";
import { addTool, LOCAL_READ, REMOTE_READ, type ToolContext } from "./tool-kit.js";

const pointInTime = z.string().describe("an ISO time such as 2026-11-25T12:00:00Z, or an op id (HLC)");
const ref = (what: string) => z.string().min(1).describe(`the ${what}'s id or name`);

export function addReadTools(ctx: ToolContext, project: Project): void {
  const replica = () => project.replica;
  addTool(
    ctx,
    "list_codes",
    {
      title: "List codes",
      description: "The code tree: categories and codes with their colours, ids and segment counts (a count includes sub-codes).",
      input: {},
      output: { codes: z.array(treeNode) },
      annotations: LOCAL_READ,
    },
    () => ({ codes: [...replica().read.tree("codes")] }),
  );
  addTool(
    ctx,
    "get_code",
    {
      title: "Get a code",
      description: "One code: name, colour, category, memo, number of segments.",
      input: { code_id: ref("code") },
      output: codeView,
      annotations: LOCAL_READ,
    },
    ({ code_id }) => viewCode(replica(), code_id),
  );
  addTool(
    ctx,
    "list_sources",
    {
      title: "List sources",
      description: "The source tree: folders and sources (interviews, documents) with their ids and segment counts.",
      input: {},
      output: { sources: z.array(treeNode) },
      annotations: LOCAL_READ,
    },
    () => ({ sources: [...replica().read.tree("sources")] }),
  );
  addTool(
    ctx,
    "get_source",
    {
      title: "Get a source",
      description: "One source with its full text and its coded segments (positions are character indexes into the text).",
      input: { source_id: ref("source") },
      output: sourceDetail,
      annotations: LOCAL_READ,
    },
    ({ source_id }) => showSource(replica(), source_id),
  );
  addTool(
    ctx,
    "list_segments",
    {
      title: "List coded segments",
      description: "Coded segments with the passage each covers, filtered by code (including codes merged into it), source and/or coder.",
      input: {
        code_id: ref("code").optional(),
        source_id: ref("source").optional(),
        coder: z.string().optional().describe("the researcher (or agent:<researcher>) who coded it"),
      },
      output: { segments: z.array(segmentView) },
      annotations: LOCAL_READ,
    },
    ({ code_id, source_id, coder }) => ({
      segments: [
        ...listSegments(replica(), {
          ...(code_id === undefined ? {} : { code: code_id }),
          ...(source_id === undefined ? {} : { source: source_id }),
          ...(coder === undefined ? {} : { coder }),
        }),
      ],
    }),
  );
  addTool(
    ctx,
    "search_text",
    {
      title: "Search the sources",
      description:
        "Passages of the text sources that contain a phrase (case-insensitive), with their positions and some context, ready for batch_apply_codes.",
      input: { phrase: z.string().min(1), limit: z.number().int().positive().max(1000).optional() },
      output: { passages: z.array(passage) },
      annotations: LOCAL_READ,
    },
    ({ phrase, limit }) => ({ passages: [...searchText(replica(), phrase, limit)] }),
  );
  addTool(
    ctx,
    "list_conflicts",
    {
      title: "List conflicts",
      description: "Concurrent edits the team should look at (open ones, or all).",
      input: { include_resolved: z.boolean().optional() },
      output: { conflicts: z.array(conflict) },
      annotations: LOCAL_READ,
    },
    ({ include_resolved }) => ({ conflicts: [...listConflicts(replica(), include_resolved === true)] }),
  );
  addTool(
    ctx,
    "get_history",
    {
      title: "History",
      description:
        "The audit trail: ops (who changed what, when), oldest first, filtered by entity, actor and/or time range; the newest `limit` (default 200). Text edits are shown by field and size.",
      input: {
        entity_type: entityType.optional(),
        entity_id: z.string().optional().describe("the entity's id or name (with entity_type)"),
        actor: z.string().optional(),
        from: pointInTime.optional(),
        to: pointInTime.optional(),
        limit: z.number().int().positive().max(5000).optional(),
      },
      output: { ops: z.array(logEntry) },
      annotations: LOCAL_READ,
    },
    ({ entity_type, entity_id, actor, from, to, limit }) => {
      const entity = entity_type !== undefined && entity_id !== undefined ? { type: entity_type, ref: entity_id } : undefined;
      const ops = readLog(replica(), {
        ...(entity === undefined ? {} : { entity }),
        ...(actor === undefined ? {} : { actor }),
        ...(from === undefined ? {} : { since: from }),
        ...(to === undefined ? {} : { until: to }),
      });
      return { ops: ops.slice(-(limit ?? 200)) };
    },
  );
  addTool(
    ctx,
    "blame",
    {
      title: "Blame",
      description: "For each field of an entity, the op (actor, time) that set its current value.",
      input: { entity_type: entityType, entity_id: z.string().describe("the entity's id or name") },
      output: { id: z.string(), fields: z.record(z.string(), z.array(fieldBlame)) },
      annotations: LOCAL_READ,
    },
    ({ entity_type, entity_id }) => blameEntity(replica(), entity_type, entity_id),
  );
  addTool(
    ctx,
    "get_state_at",
    {
      title: "Project at a point in time",
      description: "The project as it was at a time (replayed from the log): the code and source trees then, and the whole state.",
      input: { at: pointInTime },
      output: { at: z.string(), codes: z.array(treeNode), sources: z.array(treeNode), state: z.unknown() },
      annotations: LOCAL_READ,
    },
    ({ at }) => stateAt(replica(), at, { state: true }),
  );
  addTool(
    ctx,
    "list_members",
    {
      title: "List team members",
      description: "The project's members and their roles, from the sync server.",
      input: {},
      output: { members: z.array(member) },
      annotations: REMOTE_READ,
    },
    async () => ({ members: [...(await project.team.list())] }),
  );
}
