/**
 * History: the timeline of edits (who, what, when), filtered by the thing
 * changed, the researcher and the time; "As of then" shows the project as
 * it was after that edit (read-only, clearly marked); "Undo" writes the
 * compensating edit, which reaches every colleague like any other.
 */
import { useState } from "preact/hooks";
import { api, get } from "./api";
import { ErrorText, useAction } from "./action";
import { CodeTree, type TreeNode } from "./code-tree";
import type { CodesData } from "./codes-page";
import { useLive } from "./live";
import { WhenWritten } from "./received";

interface Entry {
  readonly id: string;
  readonly authoredAt: string;
  readonly receivedAt?: string;
  readonly receivedLate: boolean;
  readonly actor: string;
  readonly kind: string;
  readonly target: { readonly type: string; readonly id: string };
  readonly name: string;
  readonly body: Record<string, unknown>;
  readonly undoes?: string;
}

interface PastState {
  readonly at: string;
  readonly codes: ReadonlyArray<TreeNode>;
  readonly sources: ReadonlyArray<{ readonly id: string; readonly name: string }>;
}

const VERBS: Record<string, string> = {
  create: "created",
  set: "changed",
  text: "edited the text of",
  delete: "deleted",
  restore: "restored",
  move: "moved",
  merge: "merged",
  link: "linked",
  unlink: "unlinked",
  resolve: "resolved a conflict on",
};

const shown = (value: unknown): string =>
  typeof value === "string"
    ? `“${value}”`
    : typeof value === "boolean"
      ? value
        ? "yes"
        : "no"
      : value === null
        ? "nothing"
        : String(value);

/** One edit in words: "renamed code to “Hope”", "changed the colour of code “Hope” to #aa0000", "edited the memo of …". */
function what(e: Entry): string {
  const name = e.name || e.target.id.slice(-6);
  const thing = `${e.target.type} “${name}”`;
  const field = typeof e.body["field"] === "string" ? e.body["field"] : undefined;
  const value = e.body["value"];
  let words: string;
  if (e.kind === "set" && field === "name")
    words = `renamed ${e.target.type} to ${shown(value)}${value === name ? "" : ` (now “${name}”)`}`;
  else if (e.kind === "set" && field === "color") words = `changed the colour of ${thing} to ${String(value)}`;
  else if (e.kind === "set" && field !== undefined) words = `set ${field} of ${thing} to ${shown(value)}`;
  else if (e.kind === "text" && field !== undefined) words = `edited the ${field} of ${thing}`;
  else words = `${VERBS[e.kind] ?? e.kind} ${thing}`;
  return `${e.undoes === undefined ? "" : "undid an edit: "}${words}`;
}

const toIso = (local: string): string | undefined => (local === "" ? undefined : new Date(local).toISOString());

export function HistoryPage() {
  const [entity, setEntity] = useState("");
  const [actor, setActor] = useState("");
  const [since, setSince] = useState("");
  const [until, setUntil] = useState("");
  const [asOf, setAsOf] = useState<string | undefined>(undefined);
  const params = new URLSearchParams();
  if (entity !== "") {
    const [type, id] = entity.split(":");
    params.set("type", type!);
    params.set("id", id!);
  }
  if (actor !== "") params.set("actor", actor);
  const from = toIso(since);
  const to = toIso(until);
  if (from !== undefined) params.set("since", from);
  if (to !== undefined) params.set("until", to);
  const query = params.toString();
  const history = useLive(() => get<ReadonlyArray<Entry>>(`/api/history?${query}`), [query]);
  const codes = useLive(() => get<CodesData>("/api/codes"));
  const sources = useLive(() => get<ReadonlyArray<{ readonly id: string; readonly name: string }>>("/api/sources"));
  const everyone = useLive(() => get<ReadonlyArray<Entry>>("/api/history"));
  const actors = [...new Set((everyone.data ?? []).map((e) => e.actor))].sort();
  if (asOf !== undefined) return <AsOf at={asOf} onBack={() => setAsOf(undefined)} />;
  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title">History</h2>
      <div class="row filters">
        <label for="history-entity">Code or source</label>
        <select id="history-entity" value={entity} onChange={(e) => setEntity((e.target as HTMLSelectElement).value)}>
          <option value="">Everything</option>
          {(codes.data?.codes ?? []).map((c) => (
            <option value={`code:${c.id}`} key={c.id}>
              code {c.name}
            </option>
          ))}
          {(sources.data ?? []).map((s) => (
            <option value={`source:${s.id}`} key={s.id}>
              source {s.name}
            </option>
          ))}
        </select>
        <label for="history-actor">Researcher</label>
        <select id="history-actor" value={actor} onChange={(e) => setActor((e.target as HTMLSelectElement).value)}>
          <option value="">Everyone</option>
          {actors.map((a) => (
            <option value={a} key={a}>
              {a}
            </option>
          ))}
        </select>
        <label for="history-since">From</label>
        <input
          id="history-since"
          type="datetime-local"
          step="1"
          value={since}
          onInput={(e) => setSince((e.target as HTMLInputElement).value)}
        />
        <label for="history-until">To</label>
        <input
          id="history-until"
          type="datetime-local"
          step="1"
          value={until}
          onInput={(e) => setUntil((e.target as HTMLInputElement).value)}
        />
      </div>
      {history.error !== undefined && (
        <p class="error" role="alert">
          {history.error}
        </p>
      )}
      {history.data === undefined ? (
        <p>Loading history…</p>
      ) : history.data.length === 0 ? (
        <p class="empty">No edits match these filters.</p>
      ) : (
        <table class="timeline">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">What</th>
              <th scope="col">
                <span class="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {history.data.map((e) => (
              <HistoryRow key={e.id} entry={e} onAsOf={() => setAsOf(e.id)} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function HistoryRow({ entry, onAsOf }: { readonly entry: Entry; readonly onAsOf: () => void }) {
  const undo = useAction();
  return (
    <tr data-op={entry.id}>
      <td>
        <WhenWritten times={entry} />
      </td>
      <td>{entry.actor}</td>
      <td>
        {what(entry)}
        <ErrorText action={undo} />
      </td>
      <td>
        <div class="row">
          <button type="button" onClick={onAsOf} aria-label={`See the project as of ${new Date(entry.authoredAt).toLocaleString()}`}>
            As of then
          </button>
          <button
            type="button"
            disabled={undo.busy}
            onClick={() => void undo.run(() => api("POST", "/api/undo", { op: entry.id }))}
            aria-label={`Undo: ${what(entry)}`}
          >
            Undo
          </button>
        </div>
      </td>
    </tr>
  );
}

function AsOf({ at, onBack }: { readonly at: string; readonly onBack: () => void }) {
  const past = useLive(() => get<PastState>(`/api/as-of?at=${encodeURIComponent(at)}`), [at]);
  return (
    <section aria-labelledby="as-of-title">
      <div class="as-of-banner" role="note">
        <h2 id="as-of-title">The project as of {new Date(at.slice(0, 24)).toLocaleString()} — read-only</h2>
        <p>This is how it was then. Nothing here can be changed; go back to now to work.</p>
        <button type="button" class="primary" onClick={onBack}>
          Back to now
        </button>
      </div>
      {past.data === undefined ? (
        <p>{past.error ?? "Replaying the history…"}</p>
      ) : (
        <div class="columns">
          <div class="column as-of-codes">
            <h3>Codes then</h3>
            <CodeTree nodes={past.data.codes} filter="" />
          </div>
          <div class="column">
            <h3>Sources then</h3>
            {flatSources(past.data.sources).length === 0 ? (
              <p class="empty">No sources then.</p>
            ) : (
              <ul>
                {flatSources(past.data.sources).map((s) => (
                  <li key={s.id}>{s.name}</li>
                ))}
              </ul>
            )}
          </div>
        </div>
      )}
    </section>
  );
}

function flatSources(
  nodes: ReadonlyArray<{ readonly id: string; readonly name: string; readonly children?: ReadonlyArray<unknown> }>,
): ReadonlyArray<{ id: string; name: string }> {
  return nodes.flatMap((n) => [
    { id: n.id, name: n.name },
    ...flatSources((n.children ?? []) as ReadonlyArray<{ id: string; name: string }>),
  ]);
}
