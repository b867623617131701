/**
 * The token form of a stored body (schema version 8, docs/decisions/0017;
 * since schema 11 the form of the ops the envelope form of op-body.ts does
 * not fit, and of the body part inside it): the JSON with the strings the
 * row already holds (its HLC, project, target id, actor, replica) and the
 * envelope's keys replaced by one control byte each. Canonical JSON never
 * holds a raw control character (JSON escapes U+0000–U+001F), so every such
 * byte is a token and `unpackTokens` gives back exactly the JSON
 * `packTokens` was given: the op handed out and the hash stay byte for byte
 * the same.
 *
 * Why not deflate: with the per-row dictionary this row can build it gave
 * larger bodies and cost 13–16 µs per op to deflate (0017), which every edit
 * would pay.
 *
 * The token table is part of the file format: a byte's meaning never
 * changes, and all 31 bytes 0x01–0x1f are taken (NUL stays out of SQLite
 * text). `packTokens` replaces whole keys and whole string literals only; no
 * replaced string holds a token byte, which is what makes `unpackTokens`
 * exact. It takes any run of canonical JSON, not only a whole value.
 */
/** The values of one row the body refers to instead of repeating them. */
export interface BodyContext {
  readonly hlc: string;
  readonly project: string;
  readonly targetId: string;
  readonly actor: string;
}

/**
 * Object keys of the envelope and of frequent bodies, each with the `{` or
 * `,` before it (keys sort: actor, body, hlc, id, kind, prev, project,
 * replica, target, undoes, v). One key per token, so one simple pattern
 * finds them all: an alternation of longer runs cost 13 µs per op.
 */
const KEYS: ReadonlyArray<readonly [token: string, run: string]> = [
  ["\x08", '{"actor":'],
  ["\x09", ',"body":'],
  ["\x0a", '{"field":'],
  ["\x0b", ',"value":'],
  ["\x0c", '{"fields":'],
  ["\x0d", ',"hlc":'],
  ["\x0e", ',"id":'],
  ["\x0f", ',"kind":'],
  ["\x10", ',"prev":'],
  ["\x11", ',"project":'],
  ["\x12", ',"replica":'],
  ["\x13", ',"target":'],
  ["\x14", '{"id":'],
  ["\x15", ',"type":'],
  ["\x16", ',"undoes":'],
  ["\x17", ',"v":'],
  ["\x18", ',"update":'],
  ["\x19", '{"color":'],
  ["\x1a", ',"name":'],
  ["\x1b", ',"parent":'],
  ["\x1c", '{"code":'],
  ["\x1d", ',"end":'],
  ["\x1e", ',"source":'],
  ["\x1f", ',"start":'],
];

const RUN_TOKEN: ReadonlyMap<string, string> = new Map(KEYS.map(([token, run]) => [run, token]));
const TOKEN_RUN: ReadonlyMap<string, string> = new Map(KEYS);
// Control bytes are the point here: tokens are exactly the bytes canonical JSON never holds raw.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f]/;
// eslint-disable-next-line no-control-regex
const TOKEN = /[\x01-\x1f]/g;

/**
 * The stored body of canonical JSON `json` in a row with `ctx`. One walk
 * over the string literals (a scan with indexOf: a regex replace with a
 * callback cost twice as much per op): a literal followed by `:` is a key,
 * replaced with the `{` or `,` before it if KEYS has it; any other literal
 * equal to a row value is replaced by that value's token.
 */
export function packTokens(json: string, ctx: BodyContext): string {
  if (CONTROL.test(json)) throw new Error("qc defect: canonical JSON holds a raw control character");
  const [hlc, project, targetId, actor, replica, replicaSuffix, dayPrefix] = rowValues(ctx);
  let out = "";
  let copied = 0;
  for (let open = json.indexOf('"'); open !== -1;) {
    const close = closingQuote(json, open);
    if (json.charCodeAt(close + 1) === COLON) {
      const token = RUN_TOKEN.get(json.slice(open - 1, close + 2));
      if (token !== undefined) {
        out += json.slice(copied, open - 1) + token;
        copied = close + 2;
      }
    } else {
      const token = valueToken(json.slice(open, close + 1));
      if (token !== undefined) {
        out += json.slice(copied, open) + token;
        copied = close + 1;
      }
    }
    open = json.indexOf('"', close + 1);
  }
  return out + json.slice(copied);

  function valueToken(literal: string): string | undefined {
    if (literal === hlc) return "\x01";
    if (literal === project) return "\x02";
    if (literal === targetId) return "\x03";
    if (literal === actor) return "\x04";
    if (literal === replica) return "\x05";
    // Another HLC of the same replica (prev, undoes): its day and replica as tokens.
    if (literal.length !== hlc.length || !literal.endsWith(replicaSuffix)) return undefined;
    const head = literal.slice(0, literal.length - replicaSuffix.length);
    return head.startsWith(dayPrefix) ? `\x07${head.slice(dayPrefix.length)}\x06` : `${head}\x06`;
  }
}

/** The index of the quote that closes the literal opened at `open` (one preceded by an even run of backslashes). */
function closingQuote(json: string, open: number): number {
  for (let close = json.indexOf('"', open + 1); ; close = json.indexOf('"', close + 1)) {
    if (close === -1) throw new Error("qc defect: canonical JSON holds an unterminated string");
    let backslashes = 0;
    while (json.charCodeAt(close - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return close;
  }
}

const COLON = 0x3a;
const BACKSLASH = 0x5c;
const ROW_TOKENS = 7;

/** The canonical JSON a token-form body holds. */
export function unpackTokens(body: string, ctx: BodyContext): string {
  const values = rowValues(ctx);
  // Every byte 0x01–0x1f is a token (ROW_TOKENS, then KEYS), so each has a value.
  return body.replace(TOKEN, (token) => {
    const code = token.charCodeAt(0);
    return (code <= ROW_TOKENS ? values[code - 1] : TOKEN_RUN.get(token)) as string;
  });
}

/**
 * What tokens 0x01–0x07 stand for: the row's strings as canonical JSON
 * spells them (a string is `JSON.stringify`'s, canonical.ts), then the
 * replica suffix and day prefix that other HLCs of the op (prev, undoes) share.
 */
function rowValues(ctx: BodyContext): readonly [string, string, string, string, string, string, string] {
  const replica = ctx.hlc.slice(-16);
  return [
    `"${ctx.hlc}"`,
    quoted(ctx.project),
    JSON.stringify(ctx.targetId),
    quoted(ctx.actor),
    `"${replica}"`,
    `-${replica}"`,
    `"${ctx.hlc.slice(0, 11)}`,
  ];
}

/**
 * `JSON.stringify(s)` of a string, remembered for the last few: a file's
 * ops share one project and a handful of actors, and every packed and
 * unpacked body asks for both.
 */
export function quoted(s: string): string {
  let q = QUOTED.get(s);
  if (q === undefined) {
    if (QUOTED.size >= QUOTED_MAX) QUOTED.clear();
    q = JSON.stringify(s);
    QUOTED.set(s, q);
  }
  return q;
}

const QUOTED = new Map<string, string>();
const QUOTED_MAX = 64;
