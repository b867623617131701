/**
 * The research-work, audit and undo commands through real `qc` child
 * processes on a real project file: output, --json shapes, exit codes, and
 * the error paths (a clear message, exit 3, nothing written).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { makeQcRunner, type QcResult, type QcRunner } from "./support/cli.js";
import { writeDocx } from "./support/docx.js";

// Dozens of qc processes per test, one after the other, on a shared two-core machine.
vi.setConfig({ testTimeout: 300_000 });

let qc: QcRunner;
const env = { QC_PROJECT: "study.qc" };
beforeAll(async () => {
  qc = await makeQcRunner();
  expect((await qc.run(["init", "study.qc", "--name", "Flood study", "--actor", "ana"])).code).toBe(0);
});
afterAll(() => qc.cleanup());

const run = (...args: ReadonlyArray<string>): Promise<QcResult> => qc.run(args, env);
const json = <T>(...args: ReadonlyArray<string>): Promise<T> => qc.json<T>(args, env);

/** Runs a command that must succeed and returns its stdout, trimmed (an id for creating commands). */
async function ok(...args: ReadonlyArray<string>): Promise<string> {
  const result = await run(...args);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout.trim();
}

/** Ops in the project file, read straight from SQLite (not through qc). */
function opCount(): number {
  const db = new Database(join(qc.dir, "study.qc"), { readonly: true });
  try {
    return db.prepare("SELECT count(*) FROM ops").pluck().get() as number;
  } finally {
    db.close();
  }
}

/** The command exits 3 with a message matching `message`, and the file has no new op. */
async function refused(args: ReadonlyArray<string>, message: RegExp): Promise<void> {
  const before = opCount();
  const result = await run(...args);
  expect(result.code).toBe(3);
  expect(result.stderr).toMatch(message);
  expect(result.stdout).toBe("");
  expect(opCount()).toBe(before);
}

interface Node {
  type: string;
  id: string;
  name: string;
  color?: string;
  segments: number;
  children: Array<Node>;
}

describe("codes and categories", () => {
  it("add, rename, recolour, move, delete, restore and the tree with segment counts", async () => {
    const feelings = await ok("category", "add", "Feelings", "--color", "#aa0000");
    const hope = await ok("code", "add", "Hope", "--color", "#00aa00", "--in", "Feelings");
    expect(await json<Array<Node>>("codes")).toEqual([
      {
        type: "category",
        id: feelings,
        name: "Feelings",
        color: "#aa0000",
        segments: 0,
        children: [{ type: "code", id: hope, name: "Hope", color: "#00aa00", segments: 0, children: [] }],
      },
    ]);
    expect(await ok("code", "rename", "Hope", "Hopefulness")).toBe(hope);
    await ok("code", "recolour", hope, "#0000aa");
    await ok("code", "move", "Hopefulness", "--top");
    const tree = await json<Array<Node>>("codes");
    expect(tree.map((n) => [n.name, n.color])).toEqual([
      ["Feelings", "#aa0000"],
      ["Hopefulness", "#0000aa"],
    ]);
    await ok("code", "delete", "Hopefulness");
    expect((await json<Array<Node>>("codes")).map((n) => n.name)).toEqual(["Feelings"]);
    await ok("code", "restore", "Hopefulness");
    const text = await run("codes");
    expect(text.stdout).toMatch(/^Feelings #aa0000 {2}0 segments {2}\S+\nHopefulness #0000aa {2}0 segments/);
  });

  it("refuses an invalid colour, an empty name, an unknown code and a category that does not exist, writing nothing", async () => {
    await refused(["code", "add", "Fear", "--color", "red"], /colour "red" is not valid: give it as #RRGGBB/);
    await refused(["code", "add", "  ", "--color", "#aa0000"], /code name is not valid/);
    await refused(["code", "rename", "No such code", "X"], /no code with the id or name "No such code"/);
    await refused(["code", "add", "Fear", "--color", "#aa0000", "--in", "Nowhere"], /no category with the id or name "Nowhere"/);
    await refused(["code", "add", "Bell\u0007", "--color", "#aa0000"], /code name is not valid: it contains a control character/);
  });
});

describe("sources and segments", () => {
  it("imports .txt, .md and .docx files, lists them and shows one with its coded segments", async () => {
    writeFileSync(join(qc.dir, "ann.txt"), "I hope the water goes down. I fear it will not.");
    writeFileSync(join(qc.dir, "ben.md"), "# Ben\n\nWe hope to rebuild.");
    writeDocx(join(qc.dir, "cleo.docx"), ["Cleo's interview", "Hope & fear, both."]);
    const ann = await ok("source", "import", "ann.txt");
    await ok("source", "import", "ben.md", "--name", "Ben");
    const cleo = await ok("source", "import", "cleo.docx");
    const sources = await json<Array<{ id: string; name: string; characters: number; segments: number }>>("sources");
    expect(sources.map((s) => s.name).sort()).toEqual(["Ben", "ann", "cleo"]);
    expect(sources.find((s) => s.id === cleo)).toMatchObject({ name: "cleo", kind: "text" });
    const shown = await json<{ text: string }>("source", "show", "cleo");
    expect(shown.text).toBe("Cleo's interview\n\nHope & fear, both.\n\n");
    const fear = await ok("code", "add", "Fear", "--color", "#aa0000");
    const seg = await ok("segment", "code", "Fear", "ann", "--quote", "I fear it will not");
    await ok("segment", "code", "Hopefulness", ann, "--range", "0:6", "--important");
    const detail = await json<{ codedSegments: Array<{ id: string; code: string; text: string; coder: string; important: boolean }> }>(
      "source",
      "show",
      ann,
    );
    expect(detail.codedSegments.map((s) => [s.text, s.important, s.coder]).sort()).toEqual([
      ["I fear it will not", false, "ana"],
      ["I hope", true, "ana"],
    ]);
    const byFear = await json<Array<{ id: string; code: string }>>("segments", "--code", "Fear");
    expect(byFear).toEqual([expect.objectContaining({ id: seg, code: fear, text: "I fear it will not" })]);
    expect(await json<Array<unknown>>("segments", "--coder", "nobody")).toEqual([]);
    await ok("segment", "important", seg, "on");
    await ok("memo", "set", "segment", seg, "Strong wording");
    expect(await json("memo", "show", "segment", seg)).toEqual({ type: "segment", id: seg, memo: "Strong wording" });
    const tree = await json<Array<Node>>("codes");
    expect(tree.find((n) => n.name === "Fear")?.segments).toBe(1);
  });

  it("refuses a range outside the text, a quote that is not there, an unknown source and a file it cannot import, writing nothing", async () => {
    await refused(["segment", "code", "Fear", "ann", "--range", "10:999"], /segment end 999 is outside the text \(0 to 47 characters\)/);
    await refused(["segment", "code", "Fear", "ann", "--quote", "not in it"], /is not in the source's text/);
    await refused(["segment", "code", "Fear", "nope", "--range", "0:1"], /no source with the id or name "nope"/);
    await refused(["segment", "code", "Fear", "ann"], /--range START:END .* or --quote TEXT/);
    writeFileSync(join(qc.dir, "scan.pdf"), "%PDF-1.4");
    await refused(["source", "import", "scan.pdf"], /qc imports \.txt, \.md, \.docx files/);
    await refused(["source", "import", "missing.txt"], /cannot import missing\.txt: there is no such file/);
    mkdirSync(join(qc.dir, "folder.txt"));
    await refused(["source", "import", "folder.txt"], /it is a folder, not a file/);
    writeFileSync(join(qc.dir, "latin1.txt"), Buffer.from("Caf\xe9 au lait", "latin1"));
    await refused(["source", "import", "latin1.txt"], /not UTF-8 text .* save it again as UTF-8/);
    writeFileSync(join(qc.dir, "binary.txt"), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]));
    await refused(["source", "import", "binary.txt"], /binary data, not text/);
    writeFileSync(join(qc.dir, "renamed.docx"), "just text, not a zip");
    await refused(["source", "import", "renamed.docx"], /not a Word document qc can read/);
  });

  it("drops the byte order mark a Windows editor writes at the start of a UTF-8 file", async () => {
    writeFileSync(join(qc.dir, "bom.txt"), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("Ünïcode text")]));
    await ok("source", "import", "bom.txt");
    expect(await json<{ text: string }>("source", "show", "bom")).toMatchObject({ text: "Ünïcode text", characters: 12 });
  });
});

describe("cases, attributes and links", () => {
  it("adds a case, links a source, sets an attribute and lists them", async () => {
    const kase = await ok("case", "add", "Ann");
    await ok("case", "link", "Ann", "ann");
    const age = await ok("attribute", "add", "Age", "--type", "number", "--applies-to", "case");
    await ok("attribute", "set", "Age", "Ann", "41");
    expect(await json("attributes")).toEqual([{ id: age, name: "Age", valueType: "number", appliesTo: "case" }]);
    const cases = await json<Array<{ id: string; sources: Array<string>; attributes: Record<string, unknown> }>>("cases");
    expect(cases).toEqual([expect.objectContaining({ id: kase, name: "Ann", attributes: { Age: 41 } })]);
    expect(cases[0]!.sources).toHaveLength(1);
    await refused(["attribute", "set", "Age", "Ann", "forty"], /attribute "Age" holds a number/);
    await ok("case", "unlink", "Ann", "ann");
    expect((await json<Array<{ sources: Array<string> }>>("cases"))[0]!.sources).toEqual([]);
    await refused(["case", "unlink", "Ann", "ann"], /is not linked/);
  });
});

describe("audit", () => {
  it("log by entity and actor, blame, conflicts and resolve, verify, quarantine", async () => {
    const log = await json<Array<{ id: string; actor: string; kind: string; target: { type: string }; authoredAt: string }>>(
      "log",
      "--entity",
      "code:Fear",
    );
    expect(log.map((e) => e.kind)).toEqual(["create"]);
    // Never synced: written now, not yet received by any server, so not flagged.
    expect(log[0]).toMatchObject({ authoredAt: log[0]?.id.slice(0, 24), receivedLate: false });
    expect(log[0]).not.toHaveProperty("receivedAt");
    expect(await ok("log", "--entity", "code:Fear")).toContain("not yet received by the server");
    expect((await json<Array<unknown>>("log", "--actor", "ana")).length).toBeGreaterThan(10);
    expect(await json<Array<unknown>>("log", "--actor", "nobody")).toEqual([]);
    const blame = await json<{ fields: Record<string, Array<{ actor: string; kind: string }>> }>("blame", "code", "Hopefulness");
    expect(blame.fields["name"]).toEqual([expect.objectContaining({ actor: "ana", kind: "set" })]);
    await ok("code", "add", "fear", "--color", "#aa0000");
    const conflicts = await json<Array<{ id: string; kind: string }>>("conflicts");
    expect(conflicts.map((c) => c.kind)).toEqual(["duplicate-name"]);
    await ok("resolve", conflicts[0]!.id);
    expect(await json("conflicts")).toEqual([]);
    expect(await json<Array<{ resolved: boolean }>>("conflicts", "--all")).toEqual([expect.objectContaining({ resolved: true })]);
    await refused(["resolve", "c-nope"], /no open conflict with id c-nope/);
    expect(await json("verify")).toEqual({ ok: true });
    expect(await json("quarantine")).toEqual([]);
    await refused(["blame", "widget", "x"], /"widget" is not an entity type/);
  });

  it("state-at shows the code tree and segment counts as they were", async () => {
    const before = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5)); // the next op's HLC must be later than `before`
    await ok("segment", "code", "Fear", "ben", "--quote", "rebuild");
    const now = await json<Array<Node>>("codes");
    const then = await json<{ at: string; codes: Array<Node>; state: { entities: Array<unknown> } }>("state-at", before);
    expect(now.find((n) => n.name === "Fear")?.segments).toBe(2);
    expect(then.codes.find((n) => n.name === "Fear")?.segments).toBe(1);
    expect(then.state.entities.length).toBeGreaterThan(5);
    const text = await run("state-at", before);
    expect(text.stdout).toMatch(/^Fear #aa0000 {2}1 segment /m);
    const beforeAnything = await run("state-at", "2001-01-01");
    expect(beforeAnything).toMatchObject({ code: 0, stdout: "" });
    expect(beforeAnything.stderr).toMatch(/as of 2001-01-01:\nno codes or categories then/);
    await refused(["state-at", "last tuesday"], /cannot read "last tuesday" as a point in time/);
  });
});

describe("undo", () => {
  it("undoes the last edit and an op by id, redoes by undoing the undo, and refuses what it cannot", async () => {
    const hope = (await json<Array<Node>>("codes")).find((n) => n.name === "Hopefulness")!;
    await ok("code", "rename", "Hopefulness", "Hope");
    const undone = await json<{ undone: Array<string>; ops: Array<string> }>("undo", "--last", "1");
    expect(undone.undone).toHaveLength(1);
    expect(undone.ops).toHaveLength(1);
    expect((await json<Array<Node>>("codes")).find((n) => n.id === hope.id)?.name).toBe("Hopefulness");
    await refused(["undo", undone.undone[0]!], /is undone already \(by op .*\); undo .* to redo it/);
    const redo = await run("undo", undone.ops[0]!);
    expect(redo.code).toBe(0);
    expect(redo.stderr).toMatch(/undid 1 edit/);
    expect((await json<Array<Node>>("codes")).find((n) => n.id === hope.id)?.name).toBe("Hope");
    const log = await json<Array<{ undoes?: string }>>("log", "--entity", `code:${hope.id}`);
    expect(log.filter((e) => e.undoes !== undefined)).toHaveLength(2);
    await refused(["undo", "2026-01-01T00:00:00.000Z-0000-0000000000000000"], /no op with id/);
    await refused(["undo"], /give the op id to undo, or --last N/);
    await refused(["undo", "--last", "two"], /give the op id to undo, or --last N/);
  });

  it("a merge undone is split again", async () => {
    await ok("code", "merge", "fear", "Fear");
    expect((await json<Array<Node>>("codes")).map((n) => n.name)).not.toContain("fear");
    await ok("undo", "--last", "1");
    expect((await json<Array<Node>>("codes")).map((n) => n.name)).toContain("fear");
    expect(await json("verify")).toEqual({ ok: true });
  });
});
