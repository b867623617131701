/**
 * `pnpm demo`: three researchers, three replicas (SQLite files in a fresh
 * temp folder), one project. They set it up together, go offline and edit
 * the same things at the same time, then exchange ops in different orders
 * (`opsAfter` -> `ingest`). The demo shows that all three end with the same
 * state, lists the conflicts in researcher words, prints the audit trail of
 * one code and the project as it was before they went offline (`stateAt`).
 * Exit code 1 if the replicas disagree.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { createReplica, type Replica } from "../src/index.js";
import { clockTime, describeConflict, describeOp, namesOf, shortHash, summarise } from "./describe.js";

export interface DemoResult {
  readonly converged: boolean;
  readonly hashes: ReadonlyArray<string>;
  readonly conflicts: ReadonlyArray<string>;
}

export interface DemoOptions {
  /** Where to print (default console.log). */
  readonly print?: (line: string) => void;
  /** Keep the temp folder (default: removed at the end). */
  readonly keepFiles?: boolean;
}

const DAY = Date.UTC(2026, 10, 25);
const at = (hhmm: string): number => DAY + Number(hhmm.slice(0, 2)) * 3_600_000 + Number(hhmm.slice(3)) * 60_000;

export function main(options: DemoOptions = {}): DemoResult {
  const print = options.print ?? ((line: string) => console.log(line));
  const dir = mkdtempSync(join(tmpdir(), "qc-demo-"));
  const time = { ms: at("09:00") };
  const clock = () => time.ms;
  const people: Array<Replica> = [];
  try {
    print(`Replica files (removed at the end): ${dir}\n`);
    const alice = createReplica(join(dir, "alice.sqlite"), { actor: "alice", projectName: "Community resilience study", clock });
    const bob = createReplica(join(dir, "bob.sqlite"), { actor: "bob", project: alice.project, clock });
    const carla = createReplica(join(dir, "carla.sqlite"), { actor: "carla", project: alice.project, clock });
    people.push(alice, bob, carla);

    const ids = setUp(alice, bob, carla, time, print);
    const offlineFrom = new Date(at("09:59"));
    workOffline(alice, bob, carla, ids, time, print);
    exchange(alice, bob, carla, time, print);
    return report(alice, bob, carla, ids.hope, offlineFrom, print);
  } finally {
    for (const r of people) r.close();
    if (options.keepFiles !== true) rmSync(dir, { recursive: true, force: true });
  }
}

interface Ids {
  readonly emotions: string;
  readonly coping: string;
  readonly hope: string;
  readonly worry: string;
  readonly humour: string;
  readonly interview: string;
}

const INTERVIEW =
  "After the flood we had nothing. I hope things get better for the kids. " +
  "Some nights we just laughed about it. The neighbours brought food.";

function setUp(alice: Replica, bob: Replica, carla: Replica, time: { ms: number }, print: (l: string) => void): Ids {
  print("09:00  Together (online): Alice sets up the project; Bob and Carla receive it.");
  const emotions = alice.commands.createCategory({ name: "Emotions", color: "#d9534f" });
  const coping = alice.commands.createCategory({ name: "Coping", color: "#5cb85c" });
  const hope = alice.commands.createCode({ name: "Hope", color: "#f0ad4e", parent: emotions });
  const worry = alice.commands.createCode({ name: "Worry", color: "#777777", parent: emotions });
  const humour = alice.commands.createCode({ name: "Humour", color: "#5bc0de", parent: coping });
  const interview = alice.commands.importTextSource({ name: "Interview 1 (Maria)", text: INTERVIEW });
  alice.commands.codeSegment({ code: hope, source: interview, ...span(INTERVIEW, "I hope things get better") });
  alice.commands.codeSegment({ code: humour, source: interview, ...span(INTERVIEW, "we just laughed about it") });
  alice.commands.editMemo("code", hope, { insert: "Expressions of hope about the future.", at: 0 });
  time.ms = at("09:30");
  bob.sync.ingest(alice.sync.opsAfter());
  carla.sync.ingest(alice.sync.opsAfter());
  print(`       ${alice.sync.opsAfter().length} ops shared; everyone has the same project.\n`);
  return { emotions, coping, hope, worry, humour, interview };
}

function workOffline(alice: Replica, bob: Replica, carla: Replica, ids: Ids, time: { ms: number }, print: (l: string) => void): void {
  print("10:00  Everyone goes offline and works at the same time:");
  time.ms = at("10:05");
  alice.commands.rename("code", ids.hope, "Hopefulness");
  alice.commands.move("category", ids.coping, ids.emotions);
  alice.commands.editMemo("code", ids.hope, { insert: " Often tied to the children.", at: textOf(alice, "code", ids.hope, "memo").length });
  alice.commands.createCode({ name: "Resilience", color: "#337ab7" });
  print("       Alice renames Hope to Hopefulness, moves Coping into Emotions, adds to the Hope memo, creates code Resilience.");

  time.ms = at("10:07");
  bob.commands.rename("code", ids.hope, "Optimism");
  bob.commands.move("category", ids.emotions, ids.coping);
  bob.commands.codeSegment({ code: ids.worry, source: ids.interview, ...span(INTERVIEW, "After the flood we had nothing") });
  print("       Bob renames Hope to Optimism, moves Emotions into Coping, codes a segment with Worry.");

  time.ms = at("10:09");
  carla.commands.remove("code", ids.worry);
  carla.commands.editMemo("code", ids.hope, { insert: "Key code. ", at: 0 });
  const text = textOf(carla, "source", ids.interview, "content");
  const laugh = text.indexOf("Some nights we just laughed about it. ");
  carla.commands.editSourceText(ids.interview, { delete: "Some nights we just laughed about it. ".length, at: laugh });
  carla.commands.editSourceText(ids.interview, { insert: "[Maria, 54] ", at: 0 });
  carla.commands.createCode({ name: "resilience", color: "#337ab7" });
  print(
    "       Carla deletes code Worry, edits the Hope memo, corrects the transcript (removes a sentence, adds a speaker tag), creates code resilience.\n",
  );
}

function exchange(alice: Replica, bob: Replica, carla: Replica, time: { ms: number }, print: (l: string) => void): void {
  print("11:00  Back online: they exchange ops, each in a different order.");
  time.ms = at("11:00");
  const pass = (to: Replica, from: Replica): void => {
    const r = to.sync.ingest(from.sync.opsAfter());
    print(`       ${to.actor} receives from ${from.actor}: ${r.applied} new, ${r.duplicates} already known, ${r.quarantined} quarantined`);
  };
  pass(bob, carla);
  pass(alice, bob);
  pass(carla, alice);
  pass(bob, alice);
  pass(alice, carla);
  pass(carla, bob);
  print("");
}

function report(alice: Replica, bob: Replica, carla: Replica, hope: string, offlineFrom: Date, print: (l: string) => void): DemoResult {
  const people = [alice, bob, carla];
  const hashes = people.map((r) => shortHash(r.read.canonicalState()));
  const converged = hashes.every((h) => h === hashes[0]) && people.every((r) => r.read.verify().ok);
  print("Same state everywhere?");
  for (const [i, r] of people.entries()) print(`       ${r.actor.padEnd(6)} ${r.sync.opsAfter().length} ops, state ${hashes[i]}`);
  print(converged ? "       Yes: all three replicas hold the same ops and the same project.\n" : "       NO: the replicas differ!\n");

  const names = namesOf(alice);
  const conflicts = alice.read.conflicts().map((c) => describeConflict(c, names, alice));
  print("Things to look at (conflicts, the same list on every replica):");
  for (const line of conflicts) print(`  - ${line}`);

  print(`\nThe project now (${alice.actor}'s replica):`);
  for (const line of summarise(alice)) print(`       ${line}`);

  print(`\nAudit trail of code ${names("code", hope)}:`);
  for (const { op } of alice.read.history.ofEntity("code", hope))
    print(`       ${clockTime(op.hlc)}  ${op.actor.padEnd(6)} ${describeOp(op, names)}`);
  const blame = alice.read.history.blame("code", hope);
  const nameBy = blame["name"]?.[0];
  if (nameBy !== undefined) print(`       Current name set by ${nameBy.actor} at ${clockTime(nameBy.hlc)}.`);

  printBefore(alice, offlineFrom, print);
  return { converged, hashes, conflicts };
}

/** The project as of `when`, replayed from the log (`stateAt`) and shown readably. */
function printBefore(alice: Replica, when: Date, print: (l: string) => void): void {
  const past = createReplica(":memory:", { actor: "viewer", project: alice.project });
  try {
    past.sync.ingest(alice.read.history.between(undefined, when).map((e) => e.op));
    const same = shortHash(past.read.canonicalState()) === shortHash(alice.read.stateAt(when));
    print(
      `\nThe project at ${when.toISOString().slice(11, 16)}, before anyone went offline (stateAt${same ? ", identical to a replay" : ""}):`,
    );
    for (const line of summarise(past)) print(`       ${line}`);
  } finally {
    past.close();
  }
}

function span(text: string, phrase: string): { start: number; end: number } {
  const start = text.indexOf(phrase);
  if (start < 0) throw new Error(`demo script: "${phrase}" is not in the text`);
  return { start, end: start + phrase.length };
}

function textOf(r: Replica, type: "code" | "source", id: string, field: string): string {
  const v = r.read.entity(type, id)?.fields[field];
  return typeof v === "string" ? v : "";
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const result = main();
    process.exitCode = result.converged ? 0 : 1;
  } catch (error) {
    console.error(`The demo failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
