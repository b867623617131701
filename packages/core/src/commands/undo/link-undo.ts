/**
 * Undo of case-source links (an add-wins set, merge-rules.md "Links").
 *
 * - Undo of a `link`: an `unlink` of the surviving adds that stand for it —
 *   its own add, or a re-link made by undoing an unlink of it — so a link
 *   someone else added to the same pair stays. None left: someone unlinked
 *   it since (overwritten).
 * - Undo of an `unlink`: a new `link` of each pair it unlinked. A pair that is
 *   linked again already (someone re-linked it) counts as overwritten.
 */
import type { LinkOp, Op, UnlinkOp } from "../../op/op.js";
import type { OpDraft } from "../context.js";
import { fail } from "../errors.js";
import { describeOp } from "./describe.js";

export interface LinkUndo {
  readonly drafts: ReadonlyArray<OpDraft>;
  readonly overwritten?: string;
}

/** `linked(source)`: the pair's surviving add ids now. */
export function planLinkUndo(
  op: LinkOp | UnlinkOp,
  caseOps: ReadonlyArray<Op>,
  linked: (source: string) => ReadonlyArray<string>,
): LinkUndo {
  const target = { type: op.target.type, id: op.target.id };
  const links = new Map(caseOps.flatMap((o) => (o.kind === "link" ? [[o.id, o] as const] : [])));
  if (op.kind === "link") {
    const adds = linked(op.body.source).filter((add) => originsOf(add, links, caseOps).has(op.id));
    if (adds.length === 0) return { drafts: [], overwritten: `the link it added was removed since` };
    return { drafts: [{ kind: "unlink", target, body: { adds }, undoes: op.id }] };
  }
  const sources = [...new Set(op.body.adds.flatMap((add) => links.get(add)?.body.source ?? []))].sort();
  if (sources.length === 0) fail("not-undoable", `${describeOp(op)} removed no link this replica knows of`);
  const drafts = sources.map((source): OpDraft => ({ kind: "link", target, body: { source }, undoes: op.id }));
  const relinked = sources.filter((source) => linked(source).length > 0);
  return relinked.length === 0 ? { drafts } : { drafts, overwritten: `source ${relinked.join(", ")} was linked to the case again since` };
}

/** The link ops an add stands for: itself, and for a re-link made by undoing an unlink, what that unlink removed. */
function originsOf(add: string, links: ReadonlyMap<string, LinkOp>, caseOps: ReadonlyArray<Op>): ReadonlySet<string> {
  const out = new Set<string>([add]);
  const link = links.get(add);
  const unlink = link?.undoes === undefined ? undefined : caseOps.find((o) => o.id === link.undoes && o.hlc < link.hlc);
  if (unlink?.kind === "unlink")
    for (const removed of unlink.body.adds) if (removed < add) for (const o of originsOf(removed, links, caseOps)) out.add(o);
  return out;
}
