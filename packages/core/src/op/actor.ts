/**
 * Actor (member) names, as they appear in every op and in the audit trail
 * (history, blame). A name must read as what it is: a hostile or careless
 * member must not be able to look like another one, or reorder the text
 * around it.
 *
 * Rules (the same in the op decoder, `openReplica`'s actor option and the
 * deployment's invite): at most MAX_ACTOR_LENGTH UTF-16 units, not empty, no
 * leading or trailing whitespace, in Unicode NFC (so "é" precomposed and
 * "e" + combining accent are one name), and none of the characters below.
 * Callers that take a name from a person normalise it first
 * (`normaliseActor`); the decoder only checks, since normalising an op would
 * change its hash.
 *
 * The refused characters are an explicit list, not a Unicode category, so
 * the verdict cannot change with the JavaScript engine's Unicode version:
 * C0 and C1 controls and DEL; the bidi controls (ALM, LRM, RLM, LRE..RLO,
 * LRI..PDI); invisible format characters (soft hyphen, Mongolian vowel
 * separator, zero-width space / non-joiner / joiner, word joiner and the
 * invisible operators, the BOM); line and paragraph separators; lone
 * surrogates. Pure: runs in Convex.
 */

export const MAX_ACTOR_LENGTH = 200;

const REFUSED: ReadonlyArray<readonly [number, number, string]> = [
  [0x0000, 0x001f, "a control character"],
  [0x007f, 0x009f, "a control character"],
  [0x00ad, 0x00ad, "an invisible character (soft hyphen)"],
  [0x061c, 0x061c, "a bidi control (arabic letter mark)"],
  [0x180e, 0x180e, "an invisible character (Mongolian vowel separator)"],
  [0x200b, 0x200d, "an invisible character (zero-width space or joiner)"],
  [0x200e, 0x200f, "a bidi control (left-to-right or right-to-left mark)"],
  [0x2028, 0x2029, "a line or paragraph separator"],
  [0x202a, 0x202e, "a bidi control (embedding or override)"],
  [0x2060, 0x2064, "an invisible character (word joiner or invisible operator)"],
  [0x2066, 0x2069, "a bidi control (isolate)"],
  [0xfeff, 0xfeff, "an invisible character (byte order mark)"],
];

/** Why `actor` is not an acceptable actor name, or undefined. */
export function actorProblem(actor: string): string | undefined {
  if (actor === "") return "expected an actor name, got an empty string";
  if (actor.length > MAX_ACTOR_LENGTH) return `expected an actor name of at most ${MAX_ACTOR_LENGTH} characters, got ${actor.length}`;
  if (actor.trim() !== actor) return "expected an actor name without leading or trailing whitespace";
  const refused = refusedCharacter(actor);
  if (refused !== undefined) return `the actor name ${refused}`;
  if (actor.normalize("NFC") !== actor) return "the actor name is not in Unicode NFC; normalise it (String.prototype.normalize)";
  return undefined;
}

/**
 * The first character of `text` that a name must not hold (the list above,
 * or a lone surrogate), as "contains …, U+XXXX at index N"; or undefined.
 * Also the researcher-facing check of entity names (commands/validate.ts).
 */
export function refusedCharacter(text: string): string | undefined {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) {
      const pair = c <= 0xdbff && isLow(text.charCodeAt(i + 1));
      if (!pair) return `has a lone surrogate at index ${i}`;
      i++;
      continue;
    }
    const refused = REFUSED.find(([from, to]) => c >= from && c <= to);
    if (refused !== undefined) return `contains ${refused[2]}, U+${hex(c)} at index ${i}`;
  }
  return undefined;
}

/** A name as typed, in the form `actorProblem` checks: NFC, trimmed. */
export function normaliseActor(actor: string): string {
  return actor.normalize("NFC").trim();
}

function isLow(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

function hex(c: number): string {
  return c.toString(16).toUpperCase().padStart(4, "0");
}
