/**
 * A read over many keys in one statement: the keys go to SQLite as one JSON
 * array parameter (`... IN (SELECT value FROM json_each(?))`), in chunks
 * that bound the parameter's size when a rebuild hands over a whole
 * project. Only for statements that replace one statement per key with
 * nothing in the common case: a prepared per-row statement is cheaper than
 * a `json_each` row whose columns are extracted with `->>`
 * (docs/decisions/0018).
 */
export const JSON_ROWS_CHUNK = 2000;

/** `fn` on consecutive slices of `rows` of at most JSON_ROWS_CHUNK, each as its JSON text. */
export function forEachChunk<T>(rows: ReadonlyArray<T>, fn: (json: string) => void): void {
  for (let from = 0; from < rows.length; from += JSON_ROWS_CHUNK) fn(JSON.stringify(rows.slice(from, from + JSON_ROWS_CHUNK)));
}
