/**
 * A `fetch` for ConvexHttpClient that bounds the whole exchange (connect,
 * request, response body) by a timeout and turns transport failures into
 * retryable `RemoteError`s, so a dropped connection never hangs a push.
 */
import { RemoteError } from "@qc/core/sync";

/** Convex's status for "the function ran and failed" (the body says how). */
const STATUS_UDF_FAILED = 560;

export function makeTimeoutFetch(timeoutMs: number, base: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const response = await base(input, { ...init, signal: controller.signal });
      const body = await response.arrayBuffer();
      if (!response.ok && response.status !== STATUS_UDF_FAILED) throw httpError(response.status, body);
      return new Response(body, { status: response.status, headers: response.headers });
    } catch (error) {
      if (error instanceof RemoteError) throw error;
      const why = controller.signal.aborted ? `no answer within ${timeoutMs} ms` : describe(error);
      throw new RemoteError({ reason: "unreachable", message: `Convex unreachable: ${why}`, retryable: true, cause: error });
    } finally {
      clearTimeout(timer);
    }
  };
}

function httpError(status: number, body: ArrayBuffer): RemoteError {
  const text = new TextDecoder().decode(body).slice(0, 500);
  const transient = status >= 500 || status === 429 || status === 408;
  return new RemoteError({
    reason: transient ? "unreachable" : "invalid-op",
    message: `Convex answered HTTP ${status}: ${text}`,
    retryable: transient,
  });
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : "";
  return `${error.message}${cause}`;
}
