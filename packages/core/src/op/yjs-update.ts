/**
 * The check a `text` op's `update` must pass (DESIGN.md §3, §4): a complete
 * Yjs update (encoding v1, as `Y.encodeStateAsUpdate` writes it) that only
 * inserts plain text into the Y.Text named after the op's field and deletes.
 *
 * A hand-written reader of the v1 format (yjs src/utils/encoding.js,
 * `readClientsStructRefs` and `readDeleteSet`, lib0 varints): the op layer
 * must stay pure and cannot import yjs. It reads the whole update and refuses,
 * with the byte offset, anything Yjs could not read or that a text field must
 * not hold:
 * - a varint or string running past the end, a count larger than the bytes
 *   left, an integer above 2^53 - 1, a zero length or empty string (Yjs
 *   cannot find such a struct again), a string that is not UTF-8, bytes
 *   after the delete set;
 * - content other than strings, deleted content, GC and skip structs (no
 *   embeds, formats, nested types, JSON, binary or sub-documents: none is
 *   text, and embeds would count in Yjs indexes but not in the plain text);
 * - an item whose origin is itself or a later item of its own client (Yjs
 *   throws integrating it; found by the property in yjs-update.test.ts);
 * - an explicit parent that is not the root named `field`, a nested type,
 *   or a map key (`parentSub`).
 * Structs whose parent Yjs infers from their origin are not checked here:
 * the materialiser ignores whatever lands outside the field's root.
 * Pure and allocation-light: it never builds the structs.
 */

/** Why `bytes` is not a text update of `field`, or undefined. */
export function textUpdateProblem(bytes: Uint8Array, field: string): string | undefined {
  const reader = new Reader(bytes);
  try {
    readStructs(reader, field);
    readDeleteSet(reader);
    if (reader.pos !== bytes.length) reader.fail(`${bytes.length - reader.pos} bytes after the end of the update`);
    return undefined;
  } catch (error) {
    if (error instanceof UpdateProblem) return `not a Yjs text update: ${error.message}`;
    throw error;
  }
}

class UpdateProblem extends Error {}

// Struct kinds (info & 0b11111) a text update may hold.
const GC = 0;
const DELETED = 1;
const STRING = 4;
const SKIP = 10;
const HAS_ORIGIN = 0b1000_0000;
const HAS_RIGHT_ORIGIN = 0b0100_0000;
const HAS_PARENT_SUB = 0b0010_0000;
const KIND_NAMES: { readonly [kind: number]: string } = {
  2: "JSON content",
  3: "binary content",
  5: "an embed",
  6: "a format",
  7: "a nested type",
  8: "Any content",
  9: "a sub-document",
};

function readStructs(r: Reader, field: string): void {
  const clients = r.count("clients");
  for (let c = 0; c < clients; c++) {
    const structs = r.count("structs");
    const client = r.varUint();
    let clock = r.varUint();
    for (let s = 0; s < structs; s++) clock = readStruct(r, field, client, clock);
  }
}

/** Reads the struct of `client` at `clock`; returns the clock after it. */
function readStruct(r: Reader, field: string, client: number, clock: number): number {
  const at = r.pos;
  const info = r.byte();
  const kind = info & 0b1_1111;
  if (kind === GC || kind === SKIP) return clock + r.length(at);
  if (kind !== DELETED && kind !== STRING) {
    r.fail(`${KIND_NAMES[kind] ?? `content type ${kind}`} at byte ${at}: a text field holds only text`);
  }
  // An origin is an item that existed when this one was made: of the same client, it is older.
  if ((info & HAS_ORIGIN) !== 0) readOrigin(r, at, client, clock);
  if ((info & HAS_RIGHT_ORIGIN) !== 0) readOrigin(r, at, client, clock);
  if ((info & (HAS_ORIGIN | HAS_RIGHT_ORIGIN)) === 0) {
    const isRoot = r.varUint() === 1;
    if (!isRoot) r.fail(`struct at byte ${at} has a nested type as its parent`);
    const root = r.string();
    if (root !== field) r.fail(`struct at byte ${at} writes to the root ${JSON.stringify(root)}, not ${JSON.stringify(field)}`);
    if ((info & HAS_PARENT_SUB) !== 0) r.fail(`struct at byte ${at} is a map entry (parentSub), not text`);
  }
  if (kind === DELETED) return clock + r.length(at);
  const units = r.stringUnits();
  if (units === 0) r.fail(`struct at byte ${at} inserts an empty string`);
  return clock + units;
}

function readOrigin(r: Reader, at: number, client: number, clock: number): void {
  const originClient = r.varUint();
  const originClock = r.varUint();
  if (originClient === client && originClock >= clock) {
    r.fail(`struct at byte ${at} has its own or a later item (clock ${originClock} >= ${clock}) as its origin`);
  }
}

function readDeleteSet(r: Reader): void {
  const clients = r.count("delete-set clients");
  for (let c = 0; c < clients; c++) {
    r.varUint(); // client
    const ranges = r.count("deleted ranges");
    for (let i = 0; i < ranges; i++) {
      r.varUint(); // clock
      r.length(r.pos);
    }
  }
}

/**
 * The UTF-16 length of the UTF-8 in [from, to) (Yjs counts string items in
 * UTF-16 units), or the negated offset + 1 of the first byte that is not
 * well-formed UTF-8 (WHATWG: no overlong forms, no surrogates, nothing
 * above U+10FFFF).
 */
function utf16Units(bytes: Uint8Array, from: number, to: number): number {
  let units = 0;
  let i = from;
  while (i < to) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i++;
      units++;
      continue;
    }
    let need: number;
    let lower = 0x80;
    let upper = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lower = 0xa0;
      if (b === 0xed) upper = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lower = 0x90;
      if (b === 0xf4) upper = 0x8f;
    } else return -(i + 1);
    for (let k = 1; k <= need; k++) {
      const c = i + k < to ? (bytes[i + k] as number) : -1;
      if (c < (k === 1 ? lower : 0x80) || c > (k === 1 ? upper : 0xbf)) return -(i + 1);
    }
    i += need + 1;
    units += need === 3 ? 2 : 1;
  }
  return units;
}

class Reader {
  pos = 0;
  constructor(private readonly bytes: Uint8Array) {}

  fail(message: string): never {
    throw new UpdateProblem(message);
  }

  byte(): number {
    const b = this.bytes[this.pos];
    if (b === undefined) this.fail(`unexpected end at byte ${this.pos}`);
    this.pos++;
    return b;
  }

  /** lib0's readVarUint: 7 bits per byte, little end first, at most 2^53 - 1. */
  varUint(): number {
    const at = this.pos;
    let n = 0;
    let mult = 1;
    for (;;) {
      const b = this.byte();
      n += (b & 0x7f) * mult;
      mult *= 128;
      if (b < 0x80) break;
      if (n > Number.MAX_SAFE_INTEGER) this.fail(`integer out of range at byte ${at}`);
    }
    if (n > Number.MAX_SAFE_INTEGER) this.fail(`integer out of range at byte ${at}`);
    return n;
  }

  /** A struct's or range's length: Yjs cannot look up a zero-length struct. */
  length(at: number): number {
    const n = this.varUint();
    if (n === 0) this.fail(`zero length at byte ${at}`);
    return n;
  }

  /** A count of items that take at least one byte each: more than the bytes left cannot be right. */
  count(what: string): number {
    const at = this.pos;
    const n = this.varUint();
    if (n > this.bytes.length - this.pos) this.fail(`${n} ${what} at byte ${at}, but only ${this.bytes.length - this.pos} bytes follow`);
    return n;
  }

  string(): string {
    const { start } = this.readString();
    return new TextDecoder().decode(this.bytes.subarray(start, this.pos));
  }

  /** Reads past a length-prefixed string; returns its length in UTF-16 units. */
  stringUnits(): number {
    return this.readString().units;
  }

  /** Yjs decodes strings with a fatal UTF-8 decoder: malformed UTF-8 throws there. */
  private readString(): { readonly start: number; readonly units: number } {
    const at = this.pos;
    const length = this.varUint();
    if (length > this.bytes.length - this.pos) this.fail(`string of ${length} bytes at byte ${at} runs past the end`);
    const start = this.pos;
    this.pos += length;
    const units = utf16Units(this.bytes, start, this.pos);
    if (units < 0) this.fail(`string at byte ${at} is not UTF-8 (byte ${-units - 1})`);
    return { start, units };
  }
}
