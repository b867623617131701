/**
 * Set-based statements over a page of rows: the rows go to SQLite as one
 * JSON array parameter (`json_each(?)`), in chunks, so a page of ops costs a
 * few statements instead of a few per op (docs/decisions/0018). A chunk
 * bounds the parameter's size when a rebuild hands over a whole project.
 */
export const JSON_ROWS_CHUNK = 2000;

/**
 * `fn` on consecutive slices of `rows` of at most JSON_ROWS_CHUNK, each as
 * its JSON text and the index of its first row (`json_each`'s `key` is the
 * index within the slice).
 */
export function forEachChunk<T>(rows: ReadonlyArray<T>, fn: (json: string, from: number) => void): void {
  for (let from = 0; from < rows.length; from += JSON_ROWS_CHUNK) fn(JSON.stringify(rows.slice(from, from + JSON_ROWS_CHUNK)), from);
}
