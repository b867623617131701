/**
 * `pnpm bench:peers` child for cr-sqlite through its WASM build
 * (@vlcn.io/crsqlite-wasm; the native build cannot install here). In Node
 * the WASM build has no file VFS (only IndexedDB, a browser API), so its
 * database lives in memory: a commit writes nothing to the OS (cheaper than
 * the others' durability), disk is the database image (page_count ×
 * page_size) and W4 (reopen) cannot be measured (NaN). One `codes` table made
 * a CRR; W1 one UPDATE per autocommit, W2 one `tx` per batch, W3 an empty
 * database applies the rows of crsql_changes, read from a file in pages of
 * 1,000 (JSON, blobs in base64), one transaction a page.
 *
 *   crsqlite.ts <codes> <edits> <dir>
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import initWasm, { type DB } from "@vlcn.io/crsqlite-wasm";
import {
  BATCH,
  codeName,
  parsePeerArgs,
  printResult,
  readPages,
  timeBatches,
  timeEachEdit,
  timeMsAsync,
  writePages,
  type Edit,
} from "./workload.js";

const args = parsePeerArgs(process.argv.slice(2));
// The IndexedDB VFS it registers at start-up waits forever on this stub instead of crashing.
Object.assign(globalThis, { indexedDB: { open: () => ({}) } });
// Node's fetch cannot read a file path; the WASM goes in as a data URL.
const wasm = readFileSync(createRequire(import.meta.url).resolve("@vlcn.io/crsqlite-wasm/crsqlite.wasm"));
const sqlite = await initWasm(() => `data:application/wasm;base64,${wasm.toString("base64")}`);

const openCodes = async (): Promise<DB> => {
  const db = await sqlite.open();
  await db.exec("CREATE TABLE codes (id TEXT PRIMARY KEY NOT NULL, name TEXT, color TEXT)");
  await db.exec("SELECT crsql_as_crr('codes')");
  return db;
};
const db = await openCodes();
for (let from = 0; from < args.codes; from += BATCH)
  await db.tx(async (tx) => {
    for (let i = from; i < Math.min(from + BATCH, args.codes); i++)
      await tx.exec("INSERT INTO codes (id, name, color) VALUES (?, ?, ?)", [`code-${i}`, codeName(i), "#336699"]);
  });
const update = (e: Edit): [string, string[]] => [`UPDATE codes SET ${e.field} = ? WHERE id = ?`, [e.value, `code-${e.code}`]];

const w1 = await timeEachEdit(args, (e) => db.exec(...update(e)));
const w2EditsPerSec = await timeBatches(args, (edits) =>
  db.tx(async (tx) => {
    for (const e of edits) await tx.exec(...update(e));
  }),
);
const [pages, pageSize] = (await db.execA<[number, number]>("SELECT * FROM pragma_page_count, pragma_page_size"))[0] ?? [0, 0];
const changes = args.codes + 2 * args.edits;

const COLUMNS = `"table", pk, cid, val, col_version, db_version, site_id, cl, seq`;
// The others' changes: the rows of crsql_changes in pages of JSON (blobs in
// base64), pre-pulled to a file (workload.ts, writePages).
const changePages = writePages(join(args.dir, "pages.jsonl"), rowPages(await db.execA<unknown[]>(`SELECT ${COLUMNS} FROM crsql_changes`)));
const empty = await openCodes();
const w3Ms = await timeMsAsync(async () => {
  for (const page of readPages(changePages)) {
    const rows = JSON.parse(page, fromJsonBlob) as ReadonlyArray<unknown[]>;
    await empty.tx(async (tx) => {
      for (const row of rows) await tx.exec(`INSERT INTO crsql_changes (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, row);
    });
  }
});
const caughtUp = (await empty.execA<[string]>("SELECT name FROM codes WHERE id = 'code-0'"))[0]?.[0];
if (caughtUp === undefined) throw new Error("cr-sqlite catch-up lost code 0");

// The rows are dropped once written: W3 then holds one page at a time.
function* rowPages(rows: ReadonlyArray<unknown[]>): Generator<string> {
  for (let from = 0; from < rows.length; from += BATCH) yield JSON.stringify(rows.slice(from, from + BATCH), toJsonBlob);
}
function toJsonBlob(_key: string, value: unknown): unknown {
  return value instanceof Uint8Array ? { base64: Buffer.from(value).toString("base64") } : value;
}
function fromJsonBlob(_key: string, value: unknown): unknown {
  return typeof value === "object" && value !== null && "base64" in value
    ? new Uint8Array(Buffer.from(value.base64 as string, "base64"))
    : value;
}

printResult({ ...w1, w2EditsPerSec, w3ChangesPerSec: (changes / w3Ms) * 1000, w4Ms: Number.NaN, diskBytes: pages * pageSize, changes });
process.exit(0);
