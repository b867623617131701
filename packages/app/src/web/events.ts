/**
 * `GET /api/events`: Server-Sent Events for the open pages.
 *
 * - `change`: the op log moved; `id:` is the log position of the last op
 *   it lists, data lists the ops stored since the position the page last
 *   saw (kind, target, actor; at most REPLAY_LIMIT an event), so a page
 *   that reconnects with `Last-Event-ID` gets what it missed (and then
 *   refetches what it shows).
 * - `status`: the sync status view, from the service's status stream
 *   (DESIGN.md §9), on connect and on every change. No id: it is state,
 *   not history.
 */
import type { Context } from "hono";
import { streamSSE } from "hono/streaming";
import type { Replica } from "@qc/core";
import type { StatusStream } from "../project/index.js";
import type { LogWatch } from "./log-watch.js";

const REPLAY_LIMIT = 500;
const KEEPALIVE_MS = 15_000;

export function eventStream(c: Context, replica: Replica, log: LogWatch, status: StatusStream): Response {
  const header = c.req.header("last-event-id");
  const seen = header !== undefined && /^\d+$/.test(header) ? Number(header) : undefined;
  return streamSSE(c, async (stream) => {
    let sent = seen ?? replica.read.logPosition();
    // Reads the log itself (not the watcher's last figure), so the id is the position of the last op sent.
    const sendChange = async (): Promise<void> => {
      for (let page = replica.read.opsSince(sent, REPLAY_LIMIT); page.length > 0; page = replica.read.opsSince(sent, REPLAY_LIMIT)) {
        const position = page[page.length - 1]!.position;
        const ops = page.map(({ op }) => ({ kind: op.kind, type: op.target.type, id: op.target.id, actor: op.actor }));
        sent = position;
        await stream.writeSSE({ event: "change", id: String(position), data: JSON.stringify({ position, ops }) });
      }
    };
    const sendStatus = (view: unknown) => stream.writeSSE({ event: "status", data: JSON.stringify(view) });
    await sendStatus(status.current());
    await stream.writeSSE({ event: "hello", id: String(sent), data: JSON.stringify({ position: sent }) });
    await sendChange();
    const offLog = log.subscribe(() => void sendChange());
    const offStatus = status.subscribe((view) => void sendStatus(view));
    const keepalive = setInterval(() => void stream.write(": keepalive\n\n"), KEEPALIVE_MS);
    await new Promise<void>((resolve) => stream.onAbort(resolve));
    clearInterval(keepalive);
    offLog();
    offStatus();
  });
}
