/**
 * `qc init`, `qc info`, `qc settings` through real child processes on real
 * project files: output, --json shapes, exit codes, and the error paths
 * (nothing written, a message saying what to do).
 */
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeQcRunner, type QcRunner } from "./support/cli.js";

let qc: QcRunner;
beforeAll(async () => {
  qc = await makeQcRunner();
});
afterAll(() => qc.cleanup());

const file = (name: string) => join(qc.dir, name);

describe("qc init and info", { timeout: 120_000 }, () => {
  it("creates a project file with mode 0600, prints it, and info reads it back", async () => {
    const made = await qc.run(["init", "study.qc", "--name", "Flood study", "--actor", "Ana"]);
    expect(made.code).toBe(0);
    expect(made.stdout).toMatch(/^study\.qc: project "Flood study" \(.+\), you are Ana\n$/);
    expect(made.stderr).toContain("qc settings set convex-url");
    expect(statSync(file("study.qc")).mode & 0o777).toBe(0o600);
    const info = await qc.json(["info", "--project", "study.qc"]);
    expect(info).toMatchObject({ file: "study.qc", name: "Flood study", actor: "Ana", codes: 0, sources: 0, toPush: 1 });
    const text = await qc.run(["info"], { QC_PROJECT: "study.qc" });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("project   Flood study");
    expect(text.stdout).not.toMatch(/\x1b\[/); // no colour when not a TTY
  });

  it("remembers the researcher name in ~/.config/qc for the next init", async () => {
    await qc.run(["init", "first.qc", "--name", "One", "--actor", "Bea"], { XDG_CONFIG_HOME: join(qc.dir, "cfg-bea") });
    const second = await qc.run(["init", "second.qc", "--name", "Two", "--json"], { XDG_CONFIG_HOME: join(qc.dir, "cfg-bea") });
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ actor: "Bea", name: "Two" });
    expect(JSON.parse(readFileSync(join(qc.dir, "cfg-bea", "qc", "config.json"), "utf8"))).toEqual({ researcher: "Bea" });
  });

  it("refuses an empty name or actor and an existing file, writing nothing", async () => {
    const emptyName = await qc.run(["init", "empty.qc", "--name", "  ", "--actor", "Ana"]);
    expect(emptyName.code).toBe(3);
    expect(emptyName.stderr).toMatch(/project name is empty/);
    const emptyActor = await qc.run(["init", "empty.qc", "--name", "X", "--actor", ""], { XDG_CONFIG_HOME: join(qc.dir, "none") });
    expect(emptyActor.code).toBe(3);
    expect(() => statSync(file("empty.qc"))).toThrow();
    writeFileSync(file("taken.qc"), "mine");
    const taken = await qc.run(["init", "taken.qc", "--name", "X", "--actor", "Ana"]);
    expect(taken.code).toBe(4);
    expect(taken.stderr).toMatch(/already exists/);
    expect(readFileSync(file("taken.qc"), "utf8")).toBe("mine");
  });

  it("makes a project in an existing empty file, and refuses another application's database untouched", async () => {
    writeFileSync(file("chosen.qc"), "");
    const made = await qc.run(["init", "chosen.qc", "--name", "Chosen", "--actor", "Ana"]);
    expect(made.code).toBe(0);
    expect(statSync(file("chosen.qc")).mode & 0o777).toBe(0o600);
    expect(await qc.json(["info", "--project", "chosen.qc"])).toMatchObject({ name: "Chosen", actor: "Ana" });
    const notes = new Database(file("notes.db"));
    notes.exec("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('buy milk')");
    notes.close();
    const before = readFileSync(file("notes.db"));
    const init = await qc.run(["init", "notes.db", "--name", "X", "--actor", "Ana", "--json"]);
    expect(init.code).toBe(4);
    expect(JSON.parse(init.stderr.trim().split("\n").pop()!)).toMatchObject({ error: "OpLogError/file-exists", exitCode: 4 });
    expect(init.stderr).toMatch(/notes\.db already exists and is not empty \(it is a database, but not one qc created/);
    const info = await qc.run(["info", "--project", "notes.db"]);
    expect(info.code).toBe(4);
    expect(info.stderr).toMatch(/notes\.db is not a qc project file/);
    expect(readFileSync(file("notes.db")).equals(before)).toBe(true);
    expect(["-wal", "-shm", "-journal"].filter((s) => existsSync(file(`notes.db${s}`)))).toEqual([]);
  });

  it("refuses a missing project file, a non-qc file and no --project, leaving files as they were", async () => {
    const missing = await qc.run(["info", "--project", "nope.qc"]);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toMatch(/nope\.qc is not a qc project file: there is no such file/);
    expect(() => statSync(file("nope.qc"))).toThrow();
    writeFileSync(file("notes.txt"), "interview notes ".repeat(100));
    const text = await qc.run(["settings", "show", "--project", "notes.txt"]);
    expect(text.code).toBe(4);
    expect(text.stderr).toMatch(/notes\.txt is not a qc project file/);
    expect(readFileSync(file("notes.txt"), "utf8")).toBe("interview notes ".repeat(100));
    const foreign = new Database(file("other.sqlite"));
    foreign.exec("CREATE TABLE t (x)");
    foreign.close();
    const other = await qc.run(["info", "--project", "other.sqlite", "--json"]);
    expect(other.code).toBe(4);
    expect(other.stderr).toMatch(/not one qc created/);
    expect(JSON.parse(other.stderr.trim().split("\n").pop()!)).toMatchObject({ error: "OpLogError/not-a-replica", exitCode: 4 });
    const none = await qc.run(["info"]);
    expect(none.code).toBe(4);
    expect(none.stderr).toMatch(/pass --project FILE or set QC_PROJECT/);
  });

  it("exits 2 on an unknown command or option", async () => {
    expect((await qc.run(["frobnicate"])).code).toBe(2);
    expect((await qc.run(["info", "--bogus"])).code).toBe(2);
  });
});

describe("qc settings", { timeout: 120_000 }, () => {
  beforeAll(async () => {
    await qc.run(["init", "set.qc", "--name", "Settings", "--actor", "Ana"]);
  });

  it("shows primary storage, cloud sync off and no URL or token for a new file", async () => {
    const view = await qc.json(["settings", "show", "--project", "set.qc"]);
    expect(view).toMatchObject({ primaryStorage: "SQLite (Local)", cloudSyncEnabled: false, convexUrl: null, token: null, actor: "Ana" });
  });

  it("sets the URL (local Docker and cloud URLs) and cloud sync, and QC_CONVEX_URL overrides for one run", async () => {
    expect((await qc.run(["settings", "set", "convex-url", "http://127.0.0.1:3210", "-p", "set.qc"])).code).toBe(0);
    expect((await qc.run(["settings", "set", "convex-url", "https://happy-otter-123.convex.cloud", "-p", "set.qc"])).code).toBe(0);
    const on = await qc.run(["settings", "set", "cloud-sync", "on", "-p", "set.qc"]);
    expect(on.code).toBe(0);
    expect(on.stdout).toMatch(/cloud sync\s+on/);
    expect(await qc.json(["settings", "show", "-p", "set.qc"])).toMatchObject({
      cloudSyncEnabled: true,
      convexUrl: "https://happy-otter-123.convex.cloud",
      convexUrlSource: "settings",
    });
    const over = await qc.json(["settings", "show", "-p", "set.qc"], { QC_CONVEX_URL: "http://127.0.0.1:9999" });
    expect(over).toMatchObject({ convexUrl: "http://127.0.0.1:9999", convexUrlSource: "QC_CONVEX_URL" });
    expect((await qc.run(["settings", "show", "-p", "set.qc"], { QC_CONVEX_URL: "http://127.0.0.1:9999" })).stdout).toContain(
      "from QC_CONVEX_URL",
    );
    expect((await qc.run(["settings", "set", "cloud-sync", "off", "-p", "set.qc"])).code).toBe(0);
    expect(await qc.json(["settings", "show", "-p", "set.qc"])).toMatchObject({ cloudSyncEnabled: false });
  });

  it("refuses a bad URL, a .convex.site URL, an unknown setting and a bad value, keeping the old value", async () => {
    const bad = await qc.run(["settings", "set", "convex-url", "not a url", "-p", "set.qc"]);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/is not a deployment URL: it must start with http/);
    const ftp = await qc.run(["settings", "set", "convex-url", "ftp://example.com", "-p", "set.qc"]);
    expect(ftp.code).toBe(3);
    const site = await qc.run(["settings", "set", "convex-url", "https://happy-otter-123.convex.site", "-p", "set.qc"]);
    expect(site.code).toBe(3);
    expect(site.stderr).toContain("use the deployment URL ending in .convex.cloud, e.g. https://happy-otter-123.convex.cloud");
    expect((await qc.run(["settings", "set", "colour", "red", "-p", "set.qc"])).code).toBe(3);
    expect((await qc.run(["settings", "set", "cloud-sync", "maybe", "-p", "set.qc"])).code).toBe(3);
    expect(await qc.json(["settings", "show", "-p", "set.qc"])).toMatchObject({ convexUrl: "https://happy-otter-123.convex.cloud" });
  });

  it("team and sync commands say what to set first when there is no server or team", async () => {
    await qc.run(["init", "bare.qc", "--name", "Bare", "--actor", "Ana"]);
    const team = await qc.run(["team", "create", "-p", "bare.qc"]);
    expect(team.code).toBe(7);
    expect(team.stderr).toMatch(/qc settings set convex-url URL/);
    const sync = await qc.run(["sync", "--once", "-p", "bare.qc"]);
    expect(sync.code).toBe(7);
    expect(sync.stderr).toMatch(/cloud sync is off/);
    const status = await qc.json(["status", "-p", "bare.qc"]);
    expect(status).toMatchObject({ state: "disabled", cloudSyncEnabled: false, toPush: 1, primaryStorage: "SQLite (Local)" });
  });
});
