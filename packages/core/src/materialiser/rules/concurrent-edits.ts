/**
 * Concurrent-edit decisions (docs/spec/merge-rules.md rule 1) as pure
 * functions: two `set`s of one register that carry the same `prev` (as a
 * set of ids) saw the same history and not each other, so each such pair is
 * a `concurrent-edit`; a register's heads are its winning write plus the
 * recorded writes that no other write lists in its `prev`, capped at the
 * size a `prev` may have.
 */

/** The key writes are grouped by: JSON of the sorted, de-duplicated `prev`. */
export function prevKey(prev: ReadonlyArray<string>): string {
  return JSON.stringify([...new Set(prev)].sort());
}

/** Every unordered pair of op ids that share one prev key, each pair sorted. */
export function concurrentPairs(opIds: ReadonlyArray<string>): Array<readonly [string, string]> {
  const sorted = [...new Set(opIds)].sort();
  const pairs: Array<readonly [string, string]> = [];
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length; j++) pairs.push([sorted[i] as string, sorted[j] as string]);
  }
  return pairs;
}

/**
 * The `prev` a new write should carry: the winner plus writes no recorded
 * write saw, at most `max` ids (the winner and the newest others). Sorted.
 */
export function registerHeads(
  winner: string | undefined,
  writes: ReadonlyArray<{ readonly prevKey: string; readonly opId: string }>,
  max: number,
): Array<string> {
  const seen = new Set<string>();
  for (const w of writes) for (const p of JSON.parse(w.prevKey) as Array<string>) seen.add(p);
  const heads = new Set(writes.map((w) => w.opId).filter((opId) => !seen.has(opId)));
  if (winner !== undefined) heads.delete(winner);
  const others = [...heads].sort().slice(-(max - (winner === undefined ? 0 : 1)));
  return (winner === undefined ? others : [...others, winner]).sort();
}
