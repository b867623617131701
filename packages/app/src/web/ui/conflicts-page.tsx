/**
 * The conflict inbox: edits two researchers made at the same time to the
 * same thing. Each shows both values side by side with who made them; keep
 * one, keep the other, or type another: that is written as an edit and the
 * conflict is resolved for everyone.
 */
import { useState } from "preact/hooks";
import { api, get } from "./api";
import { ErrorText, useAction } from "./action";
import { useLive } from "./live";

interface ConflictItem {
  readonly id: string;
  readonly kind: string;
  readonly type: string;
  readonly entity: string;
  readonly name: string;
  readonly field: string | null;
  readonly detail: unknown;
  readonly writes: ReadonlyArray<{ readonly op: string; readonly actor: string; readonly value: string | number | boolean | null }>;
}

const KIND_WORDS: Record<string, string> = {
  "concurrent-edit": "Changed by two people at once",
  "duplicate-name": "Two things now have the same name",
  "cycle-skipped": "A move was skipped: it would have put a category inside itself",
  "segment-text-removed": "The text of a coded segment was removed",
};

export function ConflictsPage() {
  const conflicts = useLive(() => get<ReadonlyArray<ConflictItem>>("/api/conflicts"));
  const list = conflicts.data;
  if (list === undefined) return <p>{conflicts.error ?? "Loading conflicts…"}</p>;
  return (
    <section aria-labelledby="conflicts-title">
      <h2 id="conflicts-title">Conflicts ({list.length})</h2>
      {list.length === 0 ? (
        <p class="empty">No conflicts. When two people change the same thing at the same time, it shows up here.</p>
      ) : (
        list.map((c) => <ConflictCard key={c.id} conflict={c} />)
      )}
    </section>
  );
}

function ConflictCard({ conflict }: { readonly conflict: ConflictItem }) {
  const first = conflict.writes[0]?.value;
  const [edited, setEdited] = useState(typeof first === "string" ? first : "");
  const act = useAction();
  const settle = (value?: unknown) =>
    void act.run(() => api("POST", `/api/conflicts/${conflict.id}/settle`, value === undefined ? {} : { value }));
  return (
    <article class="conflict" aria-label={`Conflict on ${conflict.type} ${conflict.name}`} data-conflict={conflict.id}>
      <h3>
        {KIND_WORDS[conflict.kind] ?? conflict.kind}: {conflict.type} “{conflict.name}”
        {conflict.field === null ? "" : ` (${conflict.field})`}
      </h3>
      {conflict.writes.length > 0 ? (
        <>
          <div class="sides">
            {conflict.writes.map((w) => (
              <div class="side" key={w.op}>
                <p>
                  <strong>{w.actor}</strong> set it to
                </p>
                <p class="value">“{String(w.value)}”</p>
                <button type="button" onClick={() => settle(w.value)}>
                  Keep {w.actor}’s: “{String(w.value)}”
                </button>
              </div>
            ))}
          </div>
          {typeof first === "string" && (
            <form
              class="row"
              onSubmit={(e) => {
                e.preventDefault();
                settle(edited);
              }}
            >
              <label for={`edit-${conflict.id}`}>Or write another</label>
              <input id={`edit-${conflict.id}`} value={edited} onInput={(e) => setEdited((e.target as HTMLInputElement).value)} />
              <button type="submit">Save and resolve</button>
            </form>
          )}
        </>
      ) : (
        <>
          <pre class="hint">{JSON.stringify(conflict.detail, null, 2)}</pre>
          <button type="button" onClick={() => settle()}>
            Mark as resolved
          </button>
        </>
      )}
      <ErrorText action={act} />
    </article>
  );
}
