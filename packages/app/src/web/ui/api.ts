/**
 * The page's side of the web API: JSON calls (the launch cookie goes along
 * by itself) whose failures become ApiError with the server's message, in
 * the researcher's words, for the place the action was.
 */
export class ApiError extends Error {
  readonly reason: string;
  constructor(reason: string, message: string) {
    super(message);
    this.reason = reason;
  }
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: body === undefined ? {} : { "Content-Type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    throw new ApiError("no-server", "qc serve is not answering: is it still running? Start it again and open the link it prints.");
  }
  const data = (await response.json().catch(() => ({}))) as { error?: string; message?: string };
  if (!response.ok) throw new ApiError(data.error ?? "unexpected", data.message ?? `the server answered ${response.status}`);
  return data as T;
}

export const get = <T>(path: string) => api<T>("GET", path);
