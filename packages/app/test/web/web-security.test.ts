/**
 * `qc serve`'s guard, as a page on another site (DNS rebinding) or a
 * process without the launch token meets it: a foreign Host or Origin gets
 * 403 and a request without the token 401, on the API, the UI and /mcp,
 * and nothing in the project changes. With the token (cookie from the
 * launch URL, or the Bearer header) the same request works.
 */
import { request } from "node:http";
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

interface Reply {
  readonly status: number;
  readonly body: string;
  readonly headers: Record<string, string | string[] | undefined>;
}

function send(method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port: served.port,
        method,
        path,
        headers: { Host: `127.0.0.1:${served.port}`, ...headers, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
      },
      (res) => {
        let text = "";
        res.on("data", (d: Buffer) => (text += d.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }));
      },
    );
    req.on("error", reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

const token = () => new URL(served.launchUrl).searchParams.get("token")!;
const newCode = { kind: "code", name: "Planted" };
const codeCount = async () =>
  (JSON.parse((await send("GET", "/api/codes", { Authorization: `Bearer ${token()}` })).body) as { codes: Array<unknown> }).codes.length;

describe("qc serve refuses what is not its own page", () => {
  it("a foreign Host or Origin gets 403 even with the token, and nothing is written", async () => {
    const auth = { Authorization: `Bearer ${token()}` };
    for (const headers of [
      { Host: "evil.example:80" },
      { Host: `attacker.test:${served.port}` },
      { Origin: "http://evil.example" },
      { Origin: `http://127.0.0.1:${served.port + 1}` },
    ]) {
      const reply = await send("POST", "/api/codes", { ...auth, ...headers }, newCode);
      expect(reply.status, JSON.stringify(headers)).toBe(403);
      expect(reply.body).toContain("DNS rebinding");
    }
    expect((await send("GET", "/", { Host: "evil.example" })).status).toBe(403);
    expect(
      (await send("POST", "/mcp", { ...auth, Origin: "http://evil.example" }, { jsonrpc: "2.0", id: 1, method: "initialize" })).status,
    ).toBe(403);
    expect(await codeCount()).toBe(0);
  });

  it("without the token: 401 on the API, the events, the UI and /mcp; a wrong cookie is no better; nothing is written", async () => {
    expect((await send("POST", "/api/codes", {}, newCode)).status).toBe(401);
    expect((await send("POST", "/api/codes", { Cookie: `qc_launch_${served.port}=wrong` }, newCode)).status).toBe(401);
    expect((await send("PUT", "/api/settings", {}, { cloudSyncEnabled: true, convexUrl: "http://127.0.0.1:9" })).status).toBe(401);
    for (const path of ["/api/events", "/", "/app.js", "/api/codes"]) expect((await send("GET", path, {})).status, path).toBe(401);
    const tab = await send("GET", "/", { Accept: "text/html" });
    expect(tab.status).toBe(401);
    expect(tab.body).toContain("Open the link qc printed");
    expect((await send("POST", "/mcp", {}, { jsonrpc: "2.0", id: 1, method: "initialize" })).status).toBe(401);
    expect(await codeCount()).toBe(0);
    expect(await qc.json(["settings", "show", "-p", "p.qc"])).toMatchObject({ cloudSyncEnabled: false, convexUrl: null });
  });

  it("the launch URL sets a same-site HttpOnly cookie and sends the browser on without the token; that cookie then works", async () => {
    const launch = await send("GET", `/?token=${token()}`, {});
    expect(launch.status).toBe(303);
    expect(launch.headers["location"]).toBe("/");
    const cookie = String(launch.headers["set-cookie"]);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const jar = cookie.split(";")[0]!;
    expect((await send("POST", "/api/codes", { Cookie: jar, Origin: served.origin }, newCode)).status).toBe(201);
    expect(await codeCount()).toBe(1);
    expect((await send("GET", "/", { Cookie: jar })).body).toContain('<script type="module" src="/app.js">');
  });
});
