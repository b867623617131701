/**
 * How `ops.body` holds an op's canonical JSON (schema version 8,
 * docs/decisions/0017): the JSON with the strings the row already holds
 * (its HLC, project, target id, actor, replica) and the envelope's fixed
 * key runs replaced by one control byte each. Canonical JSON never holds a
 * raw control character (JSON escapes U+0000–U+001F), so every such byte in
 * a body is a token and `unpackBody` gives back exactly the JSON `packBody`
 * was given: the op handed out and the hash stay byte for byte the same.
 *
 * Why not deflate: a per-row dictionary deflate reaches about the same size
 * for small ops, but costs 13–16 µs per op against 1–3 µs here (measured in
 * 0017), and every edit pays it.
 *
 * The token table is part of the file format: a byte's meaning never
 * changes, and all 31 bytes 0x01–0x1f are taken (NUL stays out of SQLite
 * text), so another token means a new schema version. `packBody` replaces
 * the row's values first, then the fixed runs; no replaced string holds a
 * token byte, which is what makes `unpackBody` exact.
 */
/** The values of one row the body refers to instead of repeating them. */
export interface BodyContext {
  readonly hlc: string;
  readonly project: string;
  readonly targetId: string;
  readonly actor: string;
}

/** Row-value tokens, in the order `packBody` replaces them (longest first). */
const ROW_TOKENS = ["\x01", "\x02", "\x03", "\x04", "\x05", "\x06", "\x07"] as const;

/**
 * Fixed runs of the canonical envelope (keys sort: actor, body, hlc, id,
 * kind, prev, project, replica, target, undoes, v) and of frequent bodies.
 * Order within the alternation: a run before any run that is its prefix.
 */
const FIXED_RUNS: ReadonlyArray<readonly [token: string, run: string]> = [
  ["\x08", '{"actor":'],
  ["\x09", ',"body":{"fields":{'],
  ["\x0a", ',"body":{"field":'],
  ["\x0b", ',"value":'],
  ["\x0c", ',"update":'],
  ["\x0d", '},"hlc":'],
  ["\x0e", ',"id":'],
  ["\x0f", ',"kind":"set","prev":['],
  ["\x10", ',"kind":"'],
  ["\x11", '],"project":'],
  ["\x12", '","project":'],
  ["\x13", ',"replica":'],
  ["\x14", ',"target":{"id":'],
  ["\x15", ',"type":"code"},"v":1}'],
  ["\x16", ',"type":"'],
  ["\x17", '"},"v":1}'],
  ["\x18", '"},"undoes":'],
  ["\x19", '"color":'],
  ["\x1a", '"name":'],
  ["\x1b", '"parent":'],
  ["\x1c", ',"prev":['],
  ["\x1d", '"start":'],
  ["\x1e", '"end":'],
  ["\x1f", '"source":'],
];

const FIXED_PATTERN = new RegExp(FIXED_RUNS.map(([, run]) => escapeRegExp(run)).join("|"), "g");
const RUN_TOKEN: ReadonlyMap<string, string> = new Map(FIXED_RUNS.map(([token, run]) => [run, token]));
const TOKEN_RUN: ReadonlyMap<string, string> = new Map(FIXED_RUNS);
const CONTROL = /[\x00-\x1f]/;
const TOKEN = /[\x01-\x1f]/g;

/** The stored body of canonical JSON `json` in a row with `ctx`. */
export function packBody(json: string, ctx: BodyContext): string {
  if (CONTROL.test(json)) throw new Error("qc defect: canonical JSON holds a raw control character");
  let out = json;
  const values = rowValues(ctx);
  for (let i = 0; i < values.length; i++) out = out.split(values[i] as string).join(ROW_TOKENS[i]);
  return out.replace(FIXED_PATTERN, (run) => RUN_TOKEN.get(run) as string);
}

/** The canonical JSON a stored body holds. */
export function unpackBody(body: string, ctx: BodyContext): string {
  const values = rowValues(ctx);
  // Every byte 0x01–0x1f is a token (ROW_TOKENS, then FIXED_RUNS), so each has a value.
  return body.replace(TOKEN, (token) => {
    const code = token.charCodeAt(0);
    return (code <= ROW_TOKENS.length ? values[code - 1] : TOKEN_RUN.get(token)) as string;
  });
}

/**
 * The row's strings as canonical JSON spells them (a string is
 * `JSON.stringify`'s, canonical.ts), longest first where one
 * can hold another: the quoted HLC, then its day prefix and replica suffix,
 * which other HLCs of the op (prev, undoes) share.
 */
function rowValues(ctx: BodyContext): ReadonlyArray<string> {
  const replica = ctx.hlc.slice(-16);
  return [
    `"${ctx.hlc}"`,
    JSON.stringify(ctx.project),
    JSON.stringify(ctx.targetId),
    JSON.stringify(ctx.actor),
    `"${replica}"`,
    `-${replica}"`,
    `"${ctx.hlc.slice(0, 11)}`,
  ];
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
