/**
 * A file-backed RemoteOpStore: the shared op stream in a SQLite file, so a
 * remote can outlive the processes that sync with it (crash tests, demos).
 * Same semantics as the in-memory remote (gapless seq, idempotent push by id,
 * "id-reused" refuses the whole batch) and the same push rules.
 *
 * Writes are serialised across processes by SQLite itself: each push is one
 * IMMEDIATE transaction (with a busy timeout), so seqs stay gapless however
 * many processes push. Head changes made by this process are announced at
 * once; those of other processes are noticed by polling `max(seq)`.
 */
import Database from "better-sqlite3";
import type { Op } from "../op/op.js";
import {
  RemoteError,
  type ConnectionState,
  type PullPage,
  type PushResult,
  type RemoteIdentity,
  type RemoteOpStore,
} from "../sync/remote-op-store.js";
import { ackedIds, checkPushable, freshOps } from "./remote-rules.js";

export interface SqliteRemoteOptions {
  /** Needed when the file is new; checked against the file otherwise. */
  readonly project?: string;
  readonly stream?: string;
  /** How often other processes' pushes are looked for (default 25 ms). */
  readonly pollMs?: number;
  readonly maxPage?: number;
}

export interface SqliteRemote extends RemoteOpStore {
  readonly head: () => number;
  /** Every stored op id. */
  readonly ids: () => ReadonlySet<string>;
  /** Append anything without checks (an invalid op, as a broken client could). */
  readonly injectRaw: (value: unknown) => number;
  readonly integrityCheck: () => string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS stream (one INTEGER PRIMARY KEY CHECK (one = 1), project TEXT NOT NULL, stream TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS ops (seq INTEGER PRIMARY KEY, id TEXT, hash TEXT, op TEXT NOT NULL, received_at INTEGER NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS ops_id ON ops(id) WHERE id IS NOT NULL;
`;

export function makeSqliteRemote(path: string, options: SqliteRemoteOptions = {}): SqliteRemote {
  const db = new Database(path, { timeout: 10_000 });
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  const identity = initStream(db, path, options);
  const headStmt = db.prepare("SELECT coalesce(max(seq), 0) AS head FROM ops");
  const hashStmt = db.prepare("SELECT hash FROM ops WHERE id = ?");
  const insertStmt = db.prepare("INSERT INTO ops (seq, id, hash, op, received_at) VALUES (?, ?, ?, ?, ?)");
  const pageStmt = db.prepare("SELECT seq, op, received_at FROM ops WHERE seq > ? ORDER BY seq LIMIT ?");
  const head = (): number => (headStmt.get() as { head: number }).head;
  const headListeners = new Set<(head: number) => void>();
  let closed = false;
  let lastAnnounced = -1;

  const announce = (): void => {
    if (closed) return;
    const h = head();
    if (h === lastAnnounced) return;
    lastAnnounced = h;
    for (const l of [...headListeners]) l(h);
  };
  const poller = setInterval(() => {
    if (headListeners.size > 0) announce();
  }, options.pollMs ?? 25);
  poller.unref();

  const push = db.transaction((ops: ReadonlyArray<Op>): PushResult => {
    ops.forEach((op, index) => checkPushable(op, undefined, { project: identity.project }, index));
    const fresh = freshOps(ops, (id) => (hashStmt.get(id) as { hash: string } | undefined)?.hash);
    let seq = head();
    const receivedAt = Date.now();
    for (const { op, hash } of fresh) insertStmt.run((seq += 1), op.id, hash, JSON.stringify(op), receivedAt);
    return { acked: ackedIds(ops), head: seq };
  });

  const request = <A>(f: () => A): Promise<A> =>
    Promise.resolve().then(() => {
      if (closed) throw new RemoteError({ reason: "unreachable", message: "the remote is closed", retryable: true });
      return f();
    });

  return {
    identity: () => request(() => identity),
    push: (ops) =>
      request(() => {
        const result = push.immediate(ops);
        queueMicrotask(announce);
        return result;
      }),
    pull: (after, limit) =>
      request((): PullPage => {
        const n = Math.max(1, Math.min(limit, options.maxPage ?? 1000));
        const read = db.transaction(() => {
          const rows = pageStmt.all(after, n) as Array<{ seq: number; op: string; received_at: number }>;
          return { ops: rows.map((r) => ({ seq: r.seq, op: JSON.parse(r.op) as unknown, receivedAt: r.received_at })), head: head() };
        });
        return read.deferred();
      }),
    subscribeHead: (onHead) => {
      let active = true;
      const listener = (h: number): void => {
        if (active) onHead(h);
      };
      headListeners.add(listener);
      queueMicrotask(() => !closed && listener(head()));
      return () => {
        active = false;
        headListeners.delete(listener);
      };
    },
    subscribeConnection: (listener: (state: ConnectionState) => void) => {
      queueMicrotask(() => !closed && listener("connected"));
      return () => {};
    },
    close: async () => {
      if (closed) return;
      closed = true;
      clearInterval(poller);
      headListeners.clear();
      db.close();
    },
    head,
    ids: () => new Set((db.prepare("SELECT id FROM ops WHERE id IS NOT NULL").all() as Array<{ id: string }>).map((r) => r.id)),
    injectRaw: (value) => {
      const seq = db
        .transaction(() => {
          const next = head() + 1;
          insertStmt.run(next, null, null, JSON.stringify(value));
          return next;
        })
        .immediate();
      queueMicrotask(announce);
      return seq;
    },
    integrityCheck: () => String(db.pragma("integrity_check", { simple: true })),
  };
}

function initStream(db: Database.Database, path: string, options: SqliteRemoteOptions): RemoteIdentity {
  db.exec(SCHEMA);
  const stored = db.prepare("SELECT project, stream FROM stream WHERE one = 1").get() as { project: string; stream: string } | undefined;
  if (stored === undefined) {
    if (options.project === undefined) throw new Error(`${path} is not a remote stream yet: give a project`);
    const stream = options.stream ?? Array.from({ length: 16 }, () => Math.floor(Math.random() * 16).toString(16)).join("");
    db.prepare("INSERT OR IGNORE INTO stream (one, project, stream) VALUES (1, ?, ?)").run(options.project, stream);
    const { project: _created, ...rest } = options;
    return initStream(db, path, rest);
  }
  if (options.project !== undefined && options.project !== stored.project) {
    throw new Error(`${path} holds the stream of project ${stored.project}, not ${options.project}`);
  }
  return { deployment: `sqlite:${path}`, project: stored.project, stream: stored.stream };
}
