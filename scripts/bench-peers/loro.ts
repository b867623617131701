/**
 * `pnpm bench:peers` child for Loro (loro-crdt): a map of codes, each a map
 * of name and color. A commit is `doc.commit()` plus its update appended to
 * one file (length-prefixed, no fsync). W3: an empty doc imports the exported
 * updates, read from a file; W4: a new doc imports the file's updates, then
 * reads code 0.
 *
 *   loro.ts <codes> <edits> <dir>
 */
import { closeSync, openSync, readFileSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { LoroDoc, LoroMap } from "loro-crdt";
import { BATCH, bytesOf, codeName, parsePeerArgs, printResult, timeBatches, timeEachEdit, timeMsAsync, type Edit } from "./workload.js";

const args = parsePeerArgs(process.argv.slice(2));
const file = join(args.dir, "loro.updates");
const fd = openSync(file, "a");
const doc = new LoroDoc();
doc.setPeerId(1);
const codes = doc.getMap("codes");
let version = doc.oplogVersion();
const commit = (): void => {
  doc.commit();
  const update = doc.export({ mode: "update", from: version });
  version = doc.oplogVersion();
  const length = Buffer.alloc(4);
  length.writeUInt32LE(update.length);
  writeSync(fd, Buffer.concat([length, update]));
};

const maps: LoroMap[] = [];
for (let from = 0; from < args.codes; from += BATCH) {
  for (let i = from; i < Math.min(from + BATCH, args.codes); i++) {
    const code = codes.setContainer(`code-${i}`, new LoroMap());
    code.set("name", codeName(i));
    code.set("color", "#336699");
    maps.push(code);
  }
  commit();
}
const apply = (e: Edit): void => (maps[e.code] as LoroMap).set(e.field, e.value);

const w1 = await timeEachEdit(args, (e) => {
  apply(e);
  commit();
});
const w2EditsPerSec = await timeBatches(args, (edits) => {
  edits.forEach(apply);
  commit();
});
closeSync(fd);
const changes = args.codes + 2 * args.edits;

// The others' changes: every update in one export, pre-pulled to a file and
// read back in W3, as qc's and cr-sqlite's pages are (workload.ts).
const changesFile = join(args.dir, "changes.bin");
writeFileSync(changesFile, doc.export({ mode: "update" }));
const w3Ms = await timeMsAsync(() => new LoroDoc().import(readFileSync(changesFile)));

const w4Ms = await timeMsAsync(() => {
  const bytes = readFileSync(file);
  const frames: Uint8Array[] = [];
  for (let at = 0; at < bytes.length;) {
    const length = bytes.readUInt32LE(at);
    frames.push(bytes.subarray(at + 4, at + 4 + length));
    at += 4 + length;
  }
  const reopened = new LoroDoc();
  reopened.importBatch(frames);
  if ((reopened.getMap("codes").get("code-0") as LoroMap | undefined)?.get("name") === undefined)
    throw new Error("reopened doc lost code 0");
});

printResult({
  ...w1,
  w2EditsPerSec,
  w3ChangesPerSec: (changes / w3Ms) * 1000,
  w4Ms,
  diskBytes: bytesOf(args.dir, "loro.updates"),
  changes,
});
