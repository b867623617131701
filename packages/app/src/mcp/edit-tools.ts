/**
 * Tools that edit the project, each edit attributed to the server's actor
 * (default agent:<researcher>) so history and blame show what the agent did
 * and for whom; `undo` takes back the agent's own edits (or any op) with
 * compensating ops, synced like any edit. Removed by --read-only. A refused
 * edit writes nothing.
 */
import * as z from "zod";
import { resolveConflict, undo } from "../project/audit.js";
import { appError, applyCodes, createCode, viewCode, type Project } from "../project/index.js";
import { readMemo, writeMemo } from "../project/research/memos.js";
import { codeView, segmentView } from "./schemas.js";
import { addTool, LOCAL_EDIT, type ToolContext } from "./tool-kit.js";

/** The most segments one batch_apply_codes call takes. */
export const MAX_BATCH = 500;

const codingOperation = z.object({
  code_id: z.string().describe("the code's id or name"),
  source_id: z.string().describe("the source's id or name"),
  start_position: z.number().int().nonnegative().describe("index of the first character"),
  end_position: z.number().int().nonnegative().describe("index after the last character"),
  memo: z.string().optional(),
  important: z.boolean().optional(),
});

export function addEditTools(ctx: ToolContext, project: Project): void {
  const replica = () => project.replica;
  addTool(
    ctx,
    "create_code",
    {
      title: "Create a code",
      description: "Creates a code, optionally in a category (its id or name) and with a colour (#RRGGBB; one is picked otherwise).",
      input: {
        name: z.string().min(1),
        color: z.string().optional().describe("#RRGGBB"),
        category: z.string().optional().describe("a category id or name"),
      },
      output: codeView,
      annotations: LOCAL_EDIT,
    },
    ({ name, color, category }) => viewCode(replica(), createCode(replica(), { name, color, category })),
  );
  addTool(
    ctx,
    "batch_apply_codes",
    {
      title: "Code many segments",
      description: `Codes many passages in one call, all or nothing: if any operation is refused (unknown code or source, a range outside the text), none is applied and the message names it. Positions are character indexes into the source text (get_source, search_text). At most ${MAX_BATCH} operations.`,
      input: { operations: z.array(codingOperation).min(1).max(MAX_BATCH) },
      output: { count: z.number().int(), segments: z.array(segmentView) },
      annotations: LOCAL_EDIT,
    },
    ({ operations }) => {
      const ids = applyCodes(
        replica(),
        operations.map((o) => ({
          code: o.code_id,
          source: o.source_id,
          start: o.start_position,
          end: o.end_position,
          memo: o.memo,
          important: o.important,
        })),
      );
      const made = new Set(ids);
      return {
        count: ids.length,
        segments: replica()
          .read.segments()
          .filter((s) => made.has(s.id)),
      };
    },
  );
  addTool(
    ctx,
    "write_memo",
    {
      title: "Write a memo",
      description: "Sets the memo of the project, a category, code, source, segment or case to `text` (replacing what was there).",
      input: {
        entity_type: z.enum(["project", "category", "code", "source", "segment", "case"]),
        entity_id: z.string().describe("the entity's id or name (a segment: its id; the project: any)"),
        text: z.string(),
      },
      output: { entity_type: z.string(), entity_id: z.string(), memo: z.string() },
      annotations: { ...LOCAL_EDIT, idempotentHint: true },
    },
    ({ entity_type, entity_id, text }) => {
      const id = writeMemo(replica(), entity_type, entity_id, text);
      return { entity_type, entity_id: id, memo: readMemo(replica(), entity_type, id).memo };
    },
  );
  addTool(
    ctx,
    "resolve_conflict",
    {
      title: "Resolve a conflict",
      description: "Marks a conflict (from list_conflicts) as looked at and settled; the current values stay.",
      input: { conflict_id: z.string() },
      output: { conflict_id: z.string(), resolved: z.boolean() },
      annotations: { ...LOCAL_EDIT, idempotentHint: true },
    },
    ({ conflict_id }) => {
      resolveConflict(replica(), conflict_id);
      return { conflict_id, resolved: true };
    },
  );
  addTool(
    ctx,
    "undo",
    {
      title: "Undo",
      description:
        "Takes back edits with compensating ops (the history keeps both): either one op by id (from get_history), or this server's own last `last` edits. An op whose field someone changed since is refused unless force is true.",
      input: {
        op_id: z.string().optional().describe("the op to undo"),
        last: z.number().int().positive().max(100).optional().describe("undo this many of your own last edits"),
        force: z.boolean().optional().describe("undo even if someone changed it since"),
      },
      output: { undone: z.array(z.string()), ops: z.array(z.string()) },
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
    },
    ({ op_id, last, force }) => {
      if ((op_id === undefined) === (last === undefined))
        throw appError(
          "invalid-argument",
          "give either op_id (one op, from get_history) or last (your own last edits), not both or neither",
        );
      const result = undo(replica(), op_id !== undefined ? { op: op_id, force: force === true } : { last: last!, force: force === true });
      return { undone: [...result.undone], ops: [...result.ops] };
    },
  );
}
