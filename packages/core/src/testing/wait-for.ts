/**
 * The one way tests wait: poll a condition until it holds, with a generous
 * bound that only turns a hang into a readable failure. Never a timing
 * assertion.
 */
export async function waitFor(what: string, condition: () => boolean, timeoutMs = 20_000, detail?: () => string): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${detail === undefined ? "" : `: ${detail()}`}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
