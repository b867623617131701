/**
 * `qc serve`'s event stream as a page sees it: an edit made by the CLI in
 * another process arrives as a `change` whose id is the op log position;
 * a page that was away and reconnects with Last-Event-ID gets, in one
 * event, exactly the ops it missed.
 */
import { request, type IncomingMessage } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeQcRunner, type QcRunner } from "../support/cli.js";
import { serve, type Served } from "../support/web.js";

let qc: QcRunner;
let served: Served;
beforeAll(async () => {
  qc = await makeQcRunner();
  expect((await qc.run(["init", "p.qc", "--name", "Flood study", "--actor", "Ana"])).code).toBe(0);
  served = await serve(qc, "p.qc");
});
afterAll(async () => {
  await served.stop();
  qc.cleanup();
});

interface Sse {
  readonly event: string;
  readonly id: string | undefined;
  readonly data: { position?: number; ops?: Array<{ kind: string; type: string; actor: string }> };
}

/** Opens /api/events; `next(event)` resolves with the next event of that name. */
function events(lastEventId?: string) {
  const token = new URL(served.launchUrl).searchParams.get("token")!;
  const queue: Array<Sse> = [];
  const waiting: Array<() => void> = [];
  let response: IncomingMessage | undefined;
  const req = request(
    {
      host: "127.0.0.1",
      port: served.port,
      path: "/api/events",
      headers: {
        Host: `127.0.0.1:${served.port}`,
        Authorization: `Bearer ${token}`,
        ...(lastEventId === undefined ? {} : { "Last-Event-ID": lastEventId }),
      },
    },
    (res) => {
      response = res;
      let buffer = "";
      res.on("data", (d: Buffer) => {
        buffer += d.toString();
        for (let end = buffer.indexOf("\n\n"); end !== -1; end = buffer.indexOf("\n\n")) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const field = (name: string) =>
            block
              .split("\n")
              .find((l) => l.startsWith(`${name}:`))
              ?.slice(name.length + 1)
              .trim();
          if (field("event") === undefined) continue;
          queue.push({ event: field("event")!, id: field("id"), data: JSON.parse(field("data") ?? "{}") as Sse["data"] });
          for (const wake of waiting.splice(0)) wake();
        }
      });
    },
  );
  req.end();
  const next = async (event: string): Promise<Sse> => {
    for (;;) {
      const at = queue.findIndex((e) => e.event === event);
      if (at !== -1) return queue.splice(at, 1)[0]!;
      await new Promise<void>((resolve) => waiting.push(resolve));
    }
  };
  return { next, close: () => (response?.destroy(), req.destroy()) };
}

describe("the event stream", () => {
  it("announces an edit made by the CLI in another process, with the log position as id; a reconnect with Last-Event-ID replays what was missed", async () => {
    const live = events();
    const status = await live.next("status");
    expect(status.data).toMatchObject({ state: "disabled" });
    const hello = await live.next("hello");
    expect(Number(hello.id)).toBe(hello.data.position);

    expect((await qc.run(["code", "add", "From the CLI", "--color", "#336699", "-p", "p.qc"])).code).toBe(0);
    const change = await live.next("change");
    expect(Number(change.id)).toBeGreaterThan(Number(hello.id));
    expect(change.data.ops).toEqual([{ kind: "create", type: "code", id: expect.any(String), actor: "Ana" }]);
    live.close();

    expect((await qc.run(["code", "add", "While away", "--color", "#336699", "-p", "p.qc"])).code).toBe(0);
    expect((await qc.run(["category", "add", "Also while away", "--color", "#336699", "-p", "p.qc"])).code).toBe(0);
    const again = events(change.id);
    const missed = await again.next("change");
    expect(missed.data.ops?.map((o) => o.type)).toEqual(["code", "category"]);
    expect(Number(missed.id)).toBe(Number(change.id) + 2);
    again.close();
  });
});
