/**
 * Tools that edit the project, each edit attributed to the server's actor
 * (default agent:<researcher>) so history and blame show what the agent did
 * and for whom. Removed by --read-only. A refused edit writes nothing.
 */
import * as z from "zod";
import { applyCodes, createCode, viewCode, writeMemo, type Project } from "../project/index.js";
import { codeView, entityType, segmentView } from "./schemas.js";
import { addTool, LOCAL_EDIT, type ToolContext } from "./tool-kit.js";

/** The most segments one batch_apply_codes call takes. */
export const MAX_BATCH = 500;

const codingOperation = z.object({
  code_id: z.string(),
  source_id: z.string(),
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
      input: { name: z.string().min(1), color: z.string().optional().describe("#RRGGBB"), category: z.string().optional().describe("a category id or name") },
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
        operations.map((o) => ({ code: o.code_id, source: o.source_id, start: o.start_position, end: o.end_position, memo: o.memo, important: o.important })),
      );
      const made = new Set(ids);
      return { count: ids.length, segments: replica().read.segments().filter((s) => made.has(s.id)) };
    },
  );
  addTool(
    ctx,
    "write_memo",
    {
      title: "Write a memo",
      description: "Sets the memo of a code, category, source, segment, case or the project to `text` (replacing what was there).",
      input: { entity_type: entityType, entity_id: z.string(), text: z.string() },
      output: { entity_type: z.string(), entity_id: z.string(), memo: z.string() },
      annotations: { ...LOCAL_EDIT, idempotentHint: true },
    },
    ({ entity_type, entity_id, text }) => {
      writeMemo(replica(), entity_type, entity_id, text);
      return { entity_type, entity_id, memo: String(replica().read.entity(entity_type, entity_id)?.fields["memo"] ?? "") };
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
      replica().commands.resolveConflict(conflict_id);
      return { conflict_id, resolved: true };
    },
  );
}
