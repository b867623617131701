/**
 * Memos of codes, sources and coded segments in one place. Each is a text
 * that merges character by character: a colleague typing in the same memo
 * at the same time keeps their words and you keep yours.
 */
import { get } from "./api";
import { useLive } from "./live";
import { MemoEditor } from "./memo-editor";

interface Memos {
  readonly codes: ReadonlyArray<{ readonly id: string; readonly name: string; readonly memo: string }>;
  readonly sources: ReadonlyArray<{ readonly id: string; readonly name: string; readonly memo: string }>;
  readonly segments: ReadonlyArray<{ readonly id: string; readonly text: string; readonly coder: string; readonly memo: string }>;
}

export function MemosPage() {
  const memos = useLive(() => get<Memos>("/api/memos"));
  const m = memos.data;
  if (m === undefined) return <p>{memos.error ?? "Loading memos…"}</p>;
  return (
    <section aria-labelledby="memos-title">
      <h2 id="memos-title">Memos</h2>
      <div class="columns">
        <div class="column">
          <h3>Codes</h3>
          {m.codes.length === 0 ? (
            <p class="empty">No codes yet.</p>
          ) : (
            m.codes.map((c) => <MemoEditor key={c.id} type="code" id={c.id} memo={c.memo} label={`Memo on ${c.name}`} />)
          )}
        </div>
        <div class="column">
          <h3>Sources</h3>
          {m.sources.length === 0 ? (
            <p class="empty">No sources yet.</p>
          ) : (
            m.sources.map((s) => <MemoEditor key={s.id} type="source" id={s.id} memo={s.memo} label={`Memo on ${s.name}`} />)
          )}
          <h3>Coded segments</h3>
          {m.segments.length === 0 ? (
            <p class="empty">Nothing coded yet.</p>
          ) : (
            m.segments.map((g) => (
              <MemoEditor key={g.id} type="segment" id={g.id} memo={g.memo} label={`Memo on “${g.text.slice(0, 40)}” (${g.coder})`} />
            ))
          )}
        </div>
      </div>
    </section>
  );
}
