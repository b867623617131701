/**
 * Concurrent-edit decisions (docs/spec/merge-rules.md rule 1) as pure
 * functions: two `set`s of one register that carry the same `prev` (as a
 * set of ids) saw the same history and not each other, so each such pair is
 * a `concurrent-edit`; a register's heads are its winning write plus the
 * recorded writes that no other write lists in its `prev` (its unseen
 * writes), capped at the size a `prev` may have.
 */

/** A key writes are grouped by: JSON of the sorted, de-duplicated `prev` (register-keys.ts stores most as bytes). */
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
 * The register's unseen writes after recording `opId` (with `prev`): the
 * writes `prev` lists stop being unseen, and `opId` becomes one unless some
 * recorded write lists it (`listed`: a late op whose successor came first).
 * Sorted. Kept per register so a new write's `prev` is one row away, not a
 * scan of every write the register ever had.
 */
export function addWrite(unseen: ReadonlyArray<string>, prev: ReadonlyArray<string>, opId: string, listed: boolean): Array<string> {
  const next = new Set(unseen);
  for (const p of prev) next.delete(p);
  if (!listed) next.add(opId);
  return [...next].sort();
}

/**
 * The `prev` a new write should carry: the winner plus the unseen writes,
 * at most `max` ids (the winner and the newest others). Sorted.
 */
export function registerHeads(winner: string | undefined, unseen: ReadonlyArray<string>, max: number): Array<string> {
  const heads = new Set(unseen);
  if (winner !== undefined) heads.delete(winner);
  const others = [...heads].sort().slice(-(max - (winner === undefined ? 0 : 1)));
  return (winner === undefined ? others : [...others, winner]).sort();
}
