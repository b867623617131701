/**
 * Sources for the front doors: import a text file (.txt, .md, or .docx
 * through mammoth's plain-text extraction), list, show one with its coded
 * segments, rename, delete, restore. A file that cannot be read or is of
 * another type is an AppError "invalid-argument"; nothing is written.
 */
import { readFileSync } from "node:fs";
import { basename, extname } from "node:path";
import type { EntityState, Replica, SegmentView } from "@qc/core";
import mammoth from "mammoth";
import { appError } from "../errors.js";
import { nameOf, resolveRef } from "./refs.js";

export const IMPORTABLE = [".txt", ".md", ".docx"] as const;

export interface SourceSummary {
  readonly id: string;
  readonly name: string;
  readonly kind: string;
  readonly characters: number;
  readonly segments: number;
}

export interface SourceDetail extends SourceSummary {
  readonly text: string;
  readonly codedSegments: ReadonlyArray<SegmentView>;
}

export async function importSource(replica: Replica, file: string, name?: string): Promise<string> {
  const text = await readSourceText(file);
  return replica.commands.importTextSource({ name: name ?? basename(file, extname(file)), text });
}

export function listSources(replica: Replica): ReadonlyArray<SourceSummary> {
  const segments = replica.read.segments();
  return replica.read.entities("source").map((s) => summarise(s, segments.filter((g) => g.source === s.id).length));
}

export function showSource(replica: Replica, ref: string): SourceDetail {
  const id = resolveRef(replica, "source", ref);
  const source = replica.read.entity("source", id);
  const codedSegments = replica.read.segments({ source: id });
  return { ...summarise(source, codedSegments.length), text: textOf(source), codedSegments };
}

export function renameSource(replica: Replica, ref: string, name: string): string {
  const id = resolveRef(replica, "source", ref);
  replica.commands.rename("source", id, name);
  return id;
}

export function deleteSource(replica: Replica, ref: string): string {
  const id = resolveRef(replica, "source", ref);
  replica.commands.remove("source", id);
  return id;
}

export function restoreSource(replica: Replica, ref: string): string {
  const id = resolveRef(replica, "source", ref, { deleted: true });
  replica.commands.restore("source", id);
  return id;
}

async function readSourceText(file: string): Promise<string> {
  const ext = extname(file).toLowerCase();
  if (!(IMPORTABLE as ReadonlyArray<string>).includes(ext)) {
    throw appError("invalid-argument", `cannot import ${file}: qc imports ${IMPORTABLE.join(", ")} files; save it as one of those first`);
  }
  try {
    if (ext === ".docx") return (await mammoth.extractRawText({ path: file })).value;
    return readFileSync(file, "utf8");
  } catch (error) {
    throw appError("invalid-argument", `cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`, error);
  }
}

function summarise(source: EntityState | undefined, segments: number): SourceSummary {
  return {
    id: source?.id ?? "",
    name: nameOf(source),
    kind: String(source?.fields["kind"] ?? ""),
    characters: textOf(source).length,
    segments,
  };
}

function textOf(source: EntityState | undefined): string {
  const content = source?.fields["content"];
  return typeof content === "string" ? content : "";
}
