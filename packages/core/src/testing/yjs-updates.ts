/**
 * Real Yjs text updates for tests: the decoder accepts a text op's update
 * only if it is one (op/yjs-update.ts), so tests cannot use arbitrary base64.
 */
import fc from "fast-check";
import * as Y from "yjs";

/** base64 of an update inserting `text` at the start of `getText(field)`, by Yjs client `client`. */
export function textInsertUpdate(field: string, text: string, client = 1): string {
  const doc = new Y.Doc({ gc: false });
  doc.clientID = client;
  doc.getText(field).insert(0, text);
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return Buffer.from(update).toString("base64");
}

/**
 * A valid update whose base64 is exactly `chars` long (a multiple of 4, at
 * least 16): one insert of "A"s, encoded by hand so its size is exact.
 */
export function textUpdateOfBase64Length(field: string, chars: number): string {
  if (chars % 4 !== 0 || chars < 16) throw new Error(`base64 length must be a multiple of 4, at least 16: ${chars}`);
  const bytes = (chars / 4) * 3;
  const name = Buffer.from(field, "utf8");
  // clients, structs, client, clock, info (string, explicit parent), root flag, root name, ..., empty delete set
  const fixed = 6 + 1 + name.length + 1;
  for (let lengthBytes = 1; lengthBytes <= 3; lengthBytes++) {
    const length = bytes - fixed - lengthBytes;
    if (length > 0 && varUint(length).length === lengthBytes) {
      const head = [1, 1, 0, 0, 4, 1, name.length, ...name, ...varUint(length)];
      return Buffer.from([...head, ...new Array<number>(length).fill(0x41), 0]).toString("base64");
    }
  }
  throw new Error(`no update of exactly ${chars} base64 chars`);
}

/** Updates of random edits (inserts, deletes) to `getText(field)`, as base64. */
export function arbTextUpdate(field: string): fc.Arbitrary<string> {
  return fc
    .record({
      client: fc.integer({ min: 1, max: 2 ** 32 }),
      edits: fc.array(fc.tuple(fc.boolean(), fc.nat(), fc.string({ minLength: 1, maxLength: 8 })), { minLength: 1, maxLength: 6 }),
      gc: fc.boolean(),
    })
    .map(({ client, edits, gc }) => {
      const doc = new Y.Doc({ gc });
      doc.clientID = client;
      const text = doc.getText(field);
      for (const [insert, at, s] of edits) {
        if (insert || text.length === 0) text.insert(at % (text.length + 1), s);
        else text.delete(at % text.length, Math.min(s.length, text.length - (at % text.length)));
      }
      const update = Y.encodeStateAsUpdate(doc);
      doc.destroy();
      return Buffer.from(update).toString("base64");
    });
}

function varUint(n: number): Array<number> {
  const out: Array<number> = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}
