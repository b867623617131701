/**
 * The Convex deployment URL check, as Convex's own client checks it
 * (convex/browser `validateDeploymentUrl`): any http or https URL that
 * parses — so `http://127.0.0.1:3210` (Docker Compose) and
 * `https://x.convex.cloud` both pass — but a `*.convex.site` URL, which
 * serves HTTP actions and not the sync API, is refused with the fix.
 */
import { appError } from "./errors.js";

export function checkConvexUrl(raw: string): string {
  const url = raw.trim();
  if (!url.startsWith("http:") && !url.startsWith("https:")) {
    throw appError(
      "invalid-url",
      `${JSON.stringify(url)} is not a deployment URL: it must start with http:// or https://, e.g. https://happy-otter-123.convex.cloud or http://127.0.0.1:3210`,
    );
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw appError(
      "invalid-url",
      `${JSON.stringify(url)} is not a URL; give the deployment URL, e.g. https://happy-otter-123.convex.cloud or http://127.0.0.1:3210`,
    );
  }
  if (parsed.hostname.endsWith(".convex.site")) {
    throw appError(
      "site-url",
      `${url} is a Convex HTTP-actions URL (.convex.site); use the deployment URL ending in .convex.cloud, e.g. ${url.replace(".convex.site", ".convex.cloud")}`,
    );
  }
  return url;
}
