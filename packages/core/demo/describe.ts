/**
 * Words for the demo: ops, conflicts and project summaries in the
 * researcher's language (names, not ids; "renamed", not "set name").
 */
import { createHash } from "node:crypto";
import type { Conflict, EntityType, JsonValue, Op, Replica } from "../src/index.js";

export type Names = (type: EntityType, id: string) => string;

/** Names as the replica knows them now (deleted entities included). */
export function namesOf(r: Replica): Names {
  return (type, id) => {
    const name = r.read.entity(type, id)?.fields["name"];
    return typeof name === "string" ? `"${name}"` : type === "segment" ? "a segment" : `(unknown ${type})`;
  };
}

export function shortHash(state: string): string {
  return createHash("sha256").update(state).digest("hex").slice(0, 16);
}

export function clockTime(hlc: string): string {
  return hlc.slice(11, 16);
}

export function describeOp(op: Op, names: Names): string {
  const what = `${op.target.type} ${names(op.target.type, op.target.id)}`;
  switch (op.kind) {
    case "create":
      return `created ${op.target.type} ${show(op.body.fields["name"] ?? null)}`;
    case "set":
      return op.body.field === "name"
        ? `renamed it to ${show(op.body.value)}`
        : `set ${op.body.field} of ${what} to ${show(op.body.value)}`;
    case "text":
      return `edited the ${op.body.field} of ${what}`;
    case "delete":
      return `deleted ${what}`;
    case "restore":
      return `restored ${what}`;
    case "move":
      return `moved ${what} under ${op.body.parent === null ? "the top level" : names("category", op.body.parent)}`;
    case "merge":
      return op.body.into === null ? `split ${what} out of its merge` : `merged ${what} into ${names("code", op.body.into)}`;
    case "link":
      return `linked ${names("source", op.body.source)} to case ${names("case", op.target.id)}`;
    case "unlink":
      return `unlinked a source from case ${names("case", op.target.id)}`;
    case "resolve":
      return `marked a conflict as resolved`;
  }
}

/** One sentence per conflict, as a researcher would say it. */
export function describeConflict(c: Conflict, names: Names, r: Replica): string {
  const d = (c.detail ?? {}) as { readonly [k: string]: JsonValue };
  switch (c.kind) {
    case "concurrent-edit": {
      const writes = (d["writes"] ?? []) as ReadonlyArray<{ actor: string; value: JsonValue }>;
      const shown = r.read.entity(c.type, c.entity)?.fields[String(d["field"])];
      const versions = writes.map((w) => `${w.actor} chose ${show(w.value)}`).join(", ");
      return `${cap(c.type)} ${names(c.type, c.entity)} was changed by two people at once (${String(d["field"])}): ${versions}. Showing ${show(shown ?? null)} (the later edit); check which one you want.`;
    }
    case "cycle-skipped":
      return `Moving ${c.type} ${names(c.type, c.entity)} under ${names(c.type, String(d["parent"]))} would have put it inside itself (someone moved the other way at the same time), so that move was not applied.`;
    case "duplicate-name": {
      const both = ((d["entities"] ?? []) as ReadonlyArray<string>).map((id) => names(c.type, id)).join(" and ");
      return `Two ${c.type === "category" ? "categories" : `${c.type}s`} have the same name (${both}): consider merging or renaming one.`;
    }
    case "segment-text-removed": {
      const code = typeof d["code"] === "string" ? names("code", d["code"]) : "a code";
      return `The text of a segment coded ${code} in ${names("source", String(d["source"]))} was deleted by an edit; the segment is now empty.`;
    }
  }
}

/** A few lines that say what the project holds. */
export function summarise(r: Replica): ReadonlyArray<string> {
  const names = namesOf(r);
  const lines: Array<string> = [];
  for (const cat of r.read.entities("category")) {
    const parent = cat.effectiveParent ?? null;
    lines.push(`category ${names("category", cat.id)}${parent === null ? "" : ` (inside ${names("category", parent)})`}`);
  }
  const segments = r.read.entities("segment").filter((s) => s.range?.collapsed !== true);
  for (const code of r.read.entities("code")) {
    const count = segments.filter((s) => s.effectiveCode === code.id).length;
    const parent = code.effectiveParent ?? null;
    const memo = code.fields["memo"];
    lines.push(
      `code ${names("code", code.id)}${parent === null ? "" : ` in ${names("category", parent)}`}: ${count} segment(s)` +
        (typeof memo === "string" && memo !== "" ? `, memo "${memo}"` : ""),
    );
  }
  for (const seg of r.read.entities("segment", { includeDeleted: true }).filter((s) => !s.live)) {
    const code = String(seg.fields["code"]);
    const why =
      r.read.entity("code", code)?.deleted === true
        ? `its code ${names("code", code)} is deleted; restoring the code brings it back`
        : "its code or source is not live";
    lines.push(`a segment is hidden: ${why}`);
  }
  for (const source of r.read.entities("source")) lines.push(`source ${names("source", source.id)}: "${String(source.fields["content"])}"`);
  return lines;
}

function show(v: JsonValue): string {
  return typeof v === "string" ? `"${v}"` : JSON.stringify(v);
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
