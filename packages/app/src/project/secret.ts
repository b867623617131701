/**
 * Member tokens are secrets (DESIGN.md §9): shown only as their last four
 * characters, anywhere (settings, status, errors, logs).
 */
export function maskToken(token: string | undefined): string | null {
  if (token === undefined || token === "") return null;
  return `…${token.slice(-4)}`;
}
