/**
 * Runs async jobs one at a time, in submission order. The local backend puts
 * every function execution through one queue: mutations are serialised (no
 * OCC needed) and a query re-run after a commit sees exactly that commit.
 */
export interface SerialQueue {
  readonly run: <T>(job: () => Promise<T>) => Promise<T>;
  /** Resolves when every job submitted so far has settled. */
  readonly idle: () => Promise<void>;
}

export function makeSerialQueue(): SerialQueue {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run: <T>(job: () => Promise<T>): Promise<T> => {
      const result = tail.then(job, job);
      tail = result.catch(() => undefined);
      return result;
    },
    idle: async () => {
      await tail;
    },
  };
}
