/**
 * Sources: the list (with a form to add a text source), and a source's
 * text with its coded segments highlighted in their code colours. Select
 * text (or, from the keyboard, type the passage's words) and pick a code
 * to code it; hover (or focus) a highlight to see the
 * code, the coder and the memo; each segment's memo and importance below;
 * show everyone's codings, only mine, or one colleague's.
 */
import { useEffect, useState } from "preact/hooks";
import { api, get } from "./api";
import { ErrorText, useAction } from "./action";
import type { CodesData } from "./codes-page";
import { useLive } from "./live";
import { MemoEditor } from "./memo-editor";
import { route } from "./route";
import { toRuns } from "./runs";

interface SourceSummary {
  readonly id: string;
  readonly name: string;
  readonly characters: number;
  readonly segments: number;
}

export interface Segment {
  readonly id: string;
  readonly code: string;
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly coder: string;
  readonly memo: string;
  readonly important: boolean;
}

interface SourceDetail extends SourceSummary {
  readonly text: string;
  readonly memo: string;
  readonly codedSegments: ReadonlyArray<Segment>;
}

export function SourcesPage({ actor }: { readonly actor: string }) {
  const id = route.value[1];
  return id === undefined ? <SourceList /> : <SourceView id={id} actor={actor} />;
}

function SourceList() {
  const sources = useLive(() => get<ReadonlyArray<SourceSummary>>("/api/sources"));
  const [name, setName] = useState("");
  const [text, setText] = useState("");
  const add = useAction();
  return (
    <section class="columns" aria-labelledby="sources-title">
      <div class="column">
        <h2 id="sources-title">Sources</h2>
        {sources.data === undefined ? (
          <p>{sources.error ?? "Loading sources…"}</p>
        ) : sources.data.length === 0 ? (
          <p class="empty">No sources yet. Add an interview or a document on the right.</p>
        ) : (
          <ul class="source-list">
            {sources.data.map((s) => (
              <li key={s.id}>
                <a href={`#/sources/${encodeURIComponent(s.id)}`}>{s.name}</a> <span class="hint">{s.segments} coded segments</span>
              </li>
            ))}
          </ul>
        )}
      </div>
      <form
        class="column"
        onSubmit={(e) => {
          e.preventDefault();
          void add
            .run(() => api("POST", "/api/sources", { name, text }))
            .then((ok) => {
              if (!ok) return;
              setName("");
              setText("");
            });
        }}
      >
        <h3>Add a text source</h3>
        <label for="source-name">Name</label>
        <input id="source-name" value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
        <label for="source-text">Text</label>
        <textarea id="source-text" rows={6} value={text} onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} />
        <button type="submit" disabled={add.busy}>
          Add source
        </button>
        <ErrorText action={add} />
      </form>
    </section>
  );
}

/**
 * Where `words` stand in `text`, for coding from the keyboard: found once,
 * the passage; otherwise what to type instead, in the researcher's words.
 */
function findPassage(text: string, words: string): { start: number; end: number } | string {
  const wanted = words.trim();
  if (wanted === "") return "Type some words of the passage first.";
  const start = text.indexOf(wanted);
  if (start < 0) return `“${wanted}” is not in this text: check the words (capitals and punctuation count).`;
  if (text.indexOf(wanted, start + 1) >= 0) return `“${wanted}” appears more than once: type a few more words around it.`;
  return { start, end: start + wanted.length };
}

/** The selection's character offsets in the source text (runs carry their start in data-start). */
function selectionRange(container: HTMLElement): { start: number; end: number } | undefined {
  const sel = getSelection();
  if (sel === null || sel.rangeCount === 0 || sel.isCollapsed) return undefined;
  const range = sel.getRangeAt(0);
  const offset = (node: Node, at: number): number | undefined => {
    const el = node.nodeType === Node.TEXT_NODE ? node.parentElement : (node as HTMLElement);
    const run = el?.closest<HTMLElement>("[data-start]");
    if (run === null || run === undefined || !container.contains(run)) return undefined;
    return Number(run.dataset["start"]) + (node.nodeType === Node.TEXT_NODE ? at : 0);
  };
  const start = offset(range.startContainer, range.startOffset);
  const end = offset(range.endContainer, range.endOffset);
  return start === undefined || end === undefined || end <= start ? undefined : { start, end };
}

function SourceView({ id, actor }: { readonly id: string; readonly actor: string }) {
  const source = useLive(() => get<SourceDetail>(`/api/sources/${encodeURIComponent(id)}`), [id]);
  const codes = useLive(() => get<CodesData>("/api/codes"));
  const [coder, setCoder] = useState("");
  const [picked, setPicked] = useState<{ start: number; end: number } | undefined>(undefined);
  const [code, setCode] = useState("");
  const [words, setWords] = useState("");
  const [notFound, setNotFound] = useState<string | undefined>(undefined);
  const act = useAction();
  const s = source.data;
  // Wait for the codes too: a coding drawn before its code's name is known would read "?".
  if (s === undefined || codes.data === undefined) return <p>{source.error ?? codes.error ?? "Loading the source…"}</p>;
  const codeById = new Map(codes.data.codes.map((c) => [c.id, c]));
  const codeName = (id: string) => codeById.get(id)?.name ?? "a removed code";
  const coders = [...new Set(s.codedSegments.map((g) => g.coder))].filter((c) => c !== actor).sort();
  const shown = s.codedSegments.filter((g) => coder === "" || g.coder === coder);
  const describe = (g: Segment) => `${codeName(g.code)} — coded by ${g.coder}${g.memo === "" ? "" : ` — memo: ${g.memo}`}`;
  return (
    <section aria-labelledby="source-title">
      <p>
        <a href="#/sources">← All sources</a>
      </p>
      <h2 id="source-title">{s.name}</h2>
      <div class="row">
        <label for="coder-filter">Show codings by</label>
        <select id="coder-filter" value={coder} onChange={(e) => setCoder((e.target as HTMLSelectElement).value)}>
          <option value="">Everyone</option>
          <option value={actor}>Only mine ({actor})</option>
          {coders.map((c) => (
            <option value={c} key={c}>
              {c}
            </option>
          ))}
        </select>
      </div>
      <div class="columns">
        <div class="column">
          <div
            class="source-text"
            aria-label="Source text: select a passage to code it"
            onMouseUp={(e) => setPicked(selectionRange(e.currentTarget))}
            onKeyUp={(e) => setPicked(selectionRange(e.currentTarget))}
          >
            {toRuns(s.text, shown).map((r) =>
              r.segments.length === 0 ? (
                <span data-start={r.start} key={r.start}>
                  {r.text}
                </span>
              ) : (
                <mark
                  data-start={r.start}
                  key={r.start}
                  tabIndex={0}
                  class={`run${r.segments.length > 1 ? " run-multi" : ""}`}
                  title={r.segments.map(describe).join("\n")}
                  aria-label={`${r.text}: ${r.segments.map(describe).join("; ")}`}
                  style={runStyle(r.segments.map((g) => codeById.get(g.code)?.color ?? "#888888"))}
                >
                  {r.text}
                </mark>
              ),
            )}
          </div>
        </div>
        <div class="column">
          <form
            class="find-passage"
            onSubmit={(e) => {
              e.preventDefault();
              const found = findPassage(s.text, words);
              setNotFound(typeof found === "string" ? found : undefined);
              if (typeof found !== "string") setPicked(found);
            }}
          >
            <label for="find-passage">Or type the passage to code</label>
            <div class="row">
              <input id="find-passage" value={words} onInput={(e) => setWords((e.target as HTMLInputElement).value)} />
              <button type="submit">Select it</button>
            </div>
            {notFound === undefined ? null : (
              <p class="error" role="alert">
                {notFound}
              </p>
            )}
          </form>
          {picked === undefined ? (
            <p class="hint">Select a passage in the text to code it.</p>
          ) : (
            <form
              class="pick"
              onSubmit={(e) => {
                e.preventDefault();
                void act
                  .run(() => api("POST", "/api/segments", { code, source: s.id, ...picked }))
                  .then((ok) => {
                    if (!ok) return;
                    // The coded passage is redrawn as new runs; a selection left behind would cover other text.
                    getSelection()?.removeAllRanges();
                    setPicked(undefined);
                    setWords("");
                  });
              }}
            >
              <p>
                Selected: <q>{s.text.slice(picked.start, picked.end)}</q>
              </p>
              <label for="pick-code">Code</label>
              <select id="pick-code" value={code} onChange={(e) => setCode((e.target as HTMLSelectElement).value)}>
                <option value="">Choose a code…</option>
                {(codes.data?.codes ?? []).map((c) => (
                  <option value={c.id} key={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
              <button type="submit" disabled={code === ""}>
                Code the selection
              </button>
            </form>
          )}
          <ErrorText action={act} />
          <MemoEditor type="source" id={s.id} memo={s.memo} label={`Memo on ${s.name}`} />
        </div>
      </div>
      <h3>Coded segments ({shown.length})</h3>
      {shown.length === 0 ? (
        <p class="empty">Nothing coded{coder === "" ? "" : ` by ${coder}`} in this source yet.</p>
      ) : (
        shown.map((g) => <SegmentRow key={g.id} segment={g} codeName={codeName(g.code)} />)
      )}
    </section>
  );
}

function runStyle(colors: ReadonlyArray<string>): Record<string, string> {
  const [first, ...rest] = colors;
  const tint = `${first ?? "#888888"}40`;
  if (rest.length === 0) return { background: tint, borderColor: first ?? "#888888" };
  const stripes = colors.map((c, i) => `${c}55 ${i * 6}px ${(i + 1) * 6}px`).join(", ");
  return { background: `repeating-linear-gradient(135deg, ${stripes})`, borderColor: rest[rest.length - 1]! };
}

function SegmentRow({ segment, codeName }: { readonly segment: Segment; readonly codeName: string }) {
  const act = useAction();
  const [important, setImportant] = useState(segment.important);
  useEffect(() => setImportant(segment.important), [segment.important]);
  return (
    <div class="conflict segment" data-segment={segment.id}>
      <p>
        <strong>{codeName}</strong> · coded by {segment.coder}: “{segment.text}”
      </p>
      <div class="row">
        <label class="check">
          <input
            type="checkbox"
            checked={important}
            onChange={(e) => {
              const wanted = (e.target as HTMLInputElement).checked;
              setImportant(wanted);
              void act
                .run(() => api("PATCH", `/api/segments/${segment.id}`, { important: wanted }))
                .then((ok) => ok || setImportant(!wanted));
            }}
          />
          Important
        </label>
        <button type="button" class="danger" onClick={() => void act.run(() => api("DELETE", `/api/segments/${segment.id}`))}>
          Remove coding
        </button>
      </div>
      <ErrorText action={act} />
      <MemoEditor type="segment" id={segment.id} memo={segment.memo} label={`Memo on this ${codeName} segment`} />
    </div>
  );
}
