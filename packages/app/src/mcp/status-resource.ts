/**
 * The resource qc://sync/status: the status view as JSON, and
 * `notifications/resources/updated` on every change while a client is
 * subscribed. McpServer wires no subscriptions itself: the capability is
 * declared by server.ts and subscribe/unsubscribe are handled here, on the
 * low-level Server. Any URI may be subscribed (clients and the conformance
 * suite subscribe to others); only qc://sync/status ever changes.
 */
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { SubscribeRequestSchema, UnsubscribeRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import type { StatusStream } from "../project/index.js";

export const STATUS_URI = "qc://sync/status";

/** Registers the resource; returns what stops the updates (call it when the session closes). */
export function addStatusResource(server: McpServer, status: StatusStream, log: (text: string) => void): () => void {
  server.registerResource(
    "sync-status",
    STATUS_URI,
    {
      title: "Cloud sync status",
      description: "The cloud sync status of this project file (as get_sync_status); subscribe to hear of every change.",
      mimeType: "application/json",
    },
    (uri) => ({ contents: [{ uri: uri.href, mimeType: "application/json", text: JSON.stringify(status.current()) }] }),
  );
  const subscribed = new Set<string>();
  server.server.setRequestHandler(SubscribeRequestSchema, (request) => {
    subscribed.add(request.params.uri);
    return {};
  });
  server.server.setRequestHandler(UnsubscribeRequestSchema, (request) => {
    subscribed.delete(request.params.uri);
    return {};
  });
  return status.subscribe(() => {
    if (!subscribed.has(STATUS_URI)) return;
    server.server
      .sendResourceUpdated({ uri: STATUS_URI })
      .catch((error: unknown) => log(`qc mcp: could not send a status update: ${String(error)}`));
  });
}
