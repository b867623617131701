/**
 * How `ops.body` holds an op's canonical JSON (schema version 11,
 * docs/decisions/0031-envelope-form-of-op-bodies.md). Two forms:
 * - the envelope form, for an op whose JSON is exactly a v1 envelope around
 *   its body: a marker, the kind and target type as one character each, the
 *   `prev` and `undoes` HLCs as numbers relative to the op's own HLC, then
 *   the body in the token form. Everything else in the envelope is the
 *   row's (HLC = id, project, target id, actor, replica) or fixed (`"v":1`);
 * - the token form (op-body-tokens.ts) for any other op (a future kind or
 *   type, a `prev` entry that is no HLC, an extra property, another
 *   version), and for every row a file stored before schema 11.
 *
 * A token-form body starts with `{` or a token of a run that opens with `{`,
 * never with ENVELOPE (the token of `,"body":`), so the first character
 * tells the forms apart. `packBody` builds the envelope's text from the op
 * and uses the envelope form only when the JSON is exactly that text around
 * a middle part, so `unpackBody` (which builds the same text from the row
 * and the stored parts) gives back exactly the JSON it was given: the op
 * handed out and its hash stay byte for byte the same.
 *
 * The character tables below are part of the file format: a character's
 * meaning never changes; a new kind or type may only be appended.
 */
import { isoOfWallMs, readHlc, wallMsOfIso } from "../hlc.js";
import type { Op } from "../op/op.js";
import { packTokens, quoted, unpackTokens, type BodyContext } from "./op-body-tokens.js";

export type { BodyContext } from "./op-body-tokens.js";

/** What `packBody` reads of the op besides its JSON (the parts the envelope form leaves out or codes). */
export type PackedOp = Pick<Op, "hlc" | "project" | "actor" | "kind" | "prev" | "undoes"> & {
  readonly target: { readonly type: string; readonly id: string };
};

/** First character of an envelope-form body (a token-form body never starts with it). */
const ENVELOPE = "\x09";
const KINDS = ["create", "set", "text", "delete", "restore", "move", "link", "unlink", "merge", "resolve"];
const TYPES = ["project", "category", "code", "folder", "source", "segment", "case", "attribute", "journal"];
/** Kind and type characters (the second and third of the body): `a` onwards. */
const FIRST_CODE = 0x61;
/** An absent `prev` or `undoes` (a `prev` of [] is the count 0). */
const ABSENT = "-";
/** Before an HLC of another replica: its 16 hex characters follow. */
const OTHER_REPLICA = "!";

/** The stored body of op `op` whose canonical JSON is `json`. */
export function packBody(json: string, op: PackedOp): string {
  const ctx: BodyContext = { hlc: op.hlc, project: op.project, targetId: op.target.id, actor: op.actor };
  return packEnvelope(json, op, ctx) ?? packTokens(json, ctx);
}

/** The canonical JSON a stored body holds, given the row's values. */
export function unpackBody(body: string, ctx: BodyContext): string {
  if (!body.startsWith(ENVELOPE)) return unpackTokens(body, ctx);
  // The row's HLC comes from its key (hlc-key.ts), so it is well formed: no pattern to check.
  const own = { wallMs: wallMsOfIso(ctx.hlc), replica: ctx.hlc.slice(-16) };
  if (own.wallMs === undefined) throw new Error(`qc defect: row key ${ctx.hlc} is no HLC`);
  const reader = { body, at: 3 };
  const kind = KINDS[body.charCodeAt(1) - FIRST_CODE];
  const type = TYPES[body.charCodeAt(2) - FIRST_CODE];
  if (kind === undefined || type === undefined) throw new Error(`qc defect: op ${ctx.hlc} has a body of an unknown kind or type`);
  let prev: Array<string> | undefined;
  if (body[reader.at] === ABSENT) reader.at++;
  else {
    prev = [];
    for (let n = readNumber(reader); n > 0; n--) prev.push(readHlcAfter(reader, own.wallMs, own.replica));
  }
  let undoes: string | undefined;
  if (body[reader.at] === ABSENT) reader.at++;
  else undoes = readHlcAfter(reader, own.wallMs, own.replica);
  const middle = unpackTokens(body.slice(reader.at), ctx);
  return head(ctx) + middle + tail(ctx, own.replica, kind, type, prev, undoes);
}

/** The envelope form, or undefined when the op's JSON is not exactly a v1 envelope it can code. */
function packEnvelope(json: string, op: PackedOp, ctx: BodyContext): string | undefined {
  const kind = KINDS.indexOf(op.kind);
  const type = TYPES.indexOf(op.target.type);
  const own = readHlc(op.hlc);
  if (kind === -1 || type === -1 || own === undefined) return undefined;
  const prev = op.prev === undefined ? ABSENT : hlcList(op.prev, own.wallMs, own.replica);
  const undoes = op.undoes === undefined ? ABSENT : hlcAfter(op.undoes, own.wallMs, own.replica);
  if (prev === undefined || undoes === undefined) return undefined;
  const before = head(ctx);
  const after = tail(ctx, own.replica, op.kind, op.target.type, op.prev, op.undoes);
  if (json.length < before.length + after.length || !json.startsWith(before) || !json.endsWith(after)) return undefined;
  const middle = json.slice(before.length, json.length - after.length);
  return ENVELOPE + String.fromCharCode(FIRST_CODE + kind, FIRST_CODE + type) + prev + undoes + packTokens(middle, ctx);
}

const head = (ctx: BodyContext): string => `{"actor":${quoted(ctx.actor)},"body":`;

/** The envelope after the body, as canonical JSON spells it (keys sorted, no whitespace). */
function tail(
  ctx: BodyContext,
  replica: string,
  kind: string,
  type: string,
  prev: ReadonlyArray<string> | undefined,
  undoes: string | undefined,
): string {
  const prevPart = prev === undefined ? "" : `,"prev":[${prev.map((p) => `"${p}"`).join(",")}]`;
  const undoesPart = undoes === undefined ? "" : `,"undoes":"${undoes}"`;
  return (
    `,"hlc":"${ctx.hlc}","id":"${ctx.hlc}","kind":"${kind}"${prevPart},"project":${quoted(ctx.project)},` +
    `"replica":"${replica}","target":{"id":${JSON.stringify(ctx.targetId)},"type":"${type}"}${undoesPart},"v":1}`
  );
}

/** The coded `prev`: its length, then each entry; undefined when it is no list of HLCs. */
function hlcList(list: unknown, ownMs: number, ownReplica: string): string | undefined {
  // A future version's op may hold anything here (the log keeps ops it cannot decode).
  if (!Array.isArray(list)) return undefined;
  let out = numberText(list.length);
  for (const entry of list) {
    const coded = hlcAfter(entry, ownMs, ownReplica);
    if (coded === undefined) return undefined;
    out += coded;
  }
  return out;
}

/**
 * An HLC as its wall time's distance from the op's own (zigzag: an entry
 * may be later than the op in data from elsewhere), its counter, and its
 * replica when not the op's. HLC text is fixed-width with one spelling per
 * instant (readHlc refuses the rest), so the parts give back the text.
 */
function hlcAfter(hlc: unknown, ownMs: number, ownReplica: string): string | undefined {
  if (typeof hlc !== "string") return undefined;
  const parts = readHlc(hlc);
  if (parts === undefined) return undefined;
  const distance = ownMs - parts.wallMs;
  const replica = parts.replica === ownReplica ? "" : OTHER_REPLICA + parts.replica;
  return replica + numberText(distance >= 0 ? distance * 2 : -distance * 2 - 1) + numberText(parts.counter);
}

interface Reader {
  readonly body: string;
  at: number;
}

function readHlcAfter(reader: Reader, ownMs: number, ownReplica: string): string {
  let replica = ownReplica;
  if (reader.body[reader.at] === OTHER_REPLICA) {
    replica = reader.body.slice(reader.at + 1, reader.at + 17);
    reader.at += 17;
  }
  const zigzag = readNumber(reader);
  const counter = readNumber(reader);
  const wallMs = ownMs - (zigzag % 2 === 0 ? zigzag / 2 : -(zigzag + 1) / 2);
  return `${isoOfWallMs(wallMs)}-${counter.toString(16).padStart(4, "0")}-${replica}`;
}

/**
 * A non-negative integer as base-32 digits, most significant first: every
 * digit but the last from 0x40–0x5f, the last from 0x60–0x7f, so a number
 * ends itself. Wall-time distances up to ~17 years (zigzag-coded) take at most 8.
 */
function numberText(n: number): string {
  let out = String.fromCharCode(LAST_DIGIT + (n % 32));
  for (let rest = Math.floor(n / 32); rest > 0; rest = Math.floor(rest / 32)) out = String.fromCharCode(DIGIT + (rest % 32)) + out;
  return out;
}

function readNumber(reader: Reader): number {
  let n = 0;
  for (;;) {
    const c = reader.body.charCodeAt(reader.at++);
    if (c >= LAST_DIGIT && c < LAST_DIGIT + 32) return n * 32 + (c - LAST_DIGIT);
    if (!(c >= DIGIT && c < LAST_DIGIT)) throw new Error("qc defect: an envelope-form body holds a broken number");
    n = n * 32 + (c - DIGIT);
  }
}

const DIGIT = 0x40;
const LAST_DIGIT = 0x60;
