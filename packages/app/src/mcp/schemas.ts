/**
 * The zod shapes of what qc's tools return: the project service's views
 * (StatusView, SettingsView, CodeView, SourceDetail, SegmentView, ...) as the
 * SDK wants them for `outputSchema`. Objects are loose: a field the service
 * adds later does not break an agent.
 */
import * as z from "zod";
import { ENTITY_TYPES } from "@qc/core";

export const entityType = z.enum(ENTITY_TYPES).describe("what kind of thing: code, category, source, segment, case, ...");

export const statusView = {
  state: z.enum(["disabled", "offline", "connecting", "syncing", "synced", "error"]),
  reason: z.string().optional().describe("for state error: why (e.g. token-refused)"),
  message: z.string().optional().describe("what is wrong and what to do"),
  toPush: z.number().int().describe("edits made here that the server does not have yet"),
  toPull: z.number().int().optional(),
  since: z.string().optional().describe("for state synced: since when (ISO time)"),
  primaryStorage: z.string(),
  cloudSyncEnabled: z.boolean(),
  convexUrl: z.string().nullable(),
  convexUrlSource: z.enum(["settings", "QC_CONVEX_URL"]),
  lastSyncedAt: z.string().nullable(),
  syncedBy: z.string().describe('which process runs sync: "this process", "pid N" or "nobody"'),
};

export const settingsView = {
  primaryStorage: z.string(),
  cloudSyncEnabled: z.boolean(),
  convexUrl: z.string().nullable(),
  convexUrlSource: z.enum(["settings", "QC_CONVEX_URL"]),
  token: z.string().nullable().describe("the member token, masked: only its last four characters"),
  actor: z.string().describe("the researcher this file belongs to"),
  project: z.string(),
  replica: z.string(),
};

export const treeNode = z.looseObject({
  type: entityType,
  id: z.string(),
  name: z.string(),
  color: z.string().optional(),
  segments: z.number().int(),
  children: z.array(z.unknown()).describe("nodes of the same shape"),
});

export const segmentView = z.looseObject({
  id: z.string(),
  code: z.string(),
  source: z.string(),
  start: z.number(),
  end: z.number(),
  collapsed: z.boolean(),
  text: z.string().describe("the passage it covers now"),
  coder: z.string(),
  memo: z.string(),
  important: z.boolean(),
});

export const codeView = {
  id: z.string(),
  name: z.string(),
  color: z.string(),
  category: z.string().nullable(),
  memo: z.string(),
  segments: z.number().int(),
  live: z.boolean(),
  mergedInto: z.string().nullable(),
};

export const sourceDetail = {
  id: z.string(),
  name: z.string(),
  kind: z.string(),
  characters: z.number().int(),
  segments: z.number().int(),
  text: z.string(),
  codedSegments: z.array(segmentView),
};

export const passage = z.looseObject({
  source: z.string(),
  sourceName: z.string(),
  start: z.number().int(),
  end: z.number().int(),
  text: z.string(),
  context: z.string(),
});

export const conflict = z.looseObject({
  id: z.string(),
  kind: z.string(),
  type: entityType,
  entity: z.string(),
  detail: z.unknown(),
  resolved: z.boolean(),
});

/** When an op was written and when it reached the server (core's OpTimes). */
const opTimes = {
  authoredAt: z.string().describe("ISO time the author's clock gave the edit"),
  receivedAt: z.string().optional().describe("ISO time the server received it; absent until it is synced"),
  receivedLate: z
    .boolean()
    .describe("true when the server received it more than a day after authoredAt: written offline long before it reached the team"),
};

export const logEntry = z.looseObject({
  id: z.string().describe("the op id (an HLC: it sorts by time); undo takes it"),
  actor: z.string(),
  kind: z.string(),
  target: z.looseObject({ type: z.string(), id: z.string() }),
  body: z.unknown(),
  undoes: z.string().optional(),
  ...opTimes,
});

export const fieldBlame = z.looseObject({ opId: z.string(), actor: z.string(), hlc: z.string(), kind: z.string(), ...opTimes });

export const member = z.looseObject({ actor: z.string(), role: z.string(), revoked: z.boolean() });
