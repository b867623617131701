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
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw appError("invalid-argument", `cannot import ${file}: ${unreadable(error)}`, error);
  }
  if (ext === ".docx") {
    try {
      return (await mammoth.extractRawText({ buffer: bytes })).value;
    } catch (error) {
      throw appError(
        "invalid-argument",
        `cannot import ${file}: it is not a Word document qc can read (${String(error)}); open it in Word and save it as .docx again`,
        error,
      );
    }
  }
  return plainText(file, bytes);
}

/**
 * A .txt or .md file's text. Only UTF-8 is read: guessing another encoding
 * would store garbled text that every coded segment then points into, so a
 * file that is not UTF-8 (or is not text at all) is refused with what to do.
 */
function plainText(file: string, bytes: Buffer): string {
  if (bytes.includes(0)) {
    throw appError(
      "invalid-argument",
      `cannot import ${file}: it holds binary data, not text; export the document as plain text (.txt) first`,
    );
  }
  try {
    // ignoreBOM false: a leading byte order mark (Windows editors write one) is dropped, not imported as text.
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw appError(
      "invalid-argument",
      `cannot import ${file}: it is not UTF-8 text (perhaps Latin-1 or Windows-1252); save it again as UTF-8 in your editor, then import it`,
    );
  }
}

function unreadable(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "ENOENT") return "there is no such file; check the path";
  if (code === "EISDIR") return "it is a folder, not a file";
  if (code === "EACCES") return "you do not have permission to read it";
  return error instanceof Error ? error.message : String(error);
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
