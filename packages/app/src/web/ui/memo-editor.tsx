/**
 * A memo you can type in while a colleague types in the same memo: the
 * editor remembers the text it started from and sends it with what it
 * shows now; the server moves the change past anything that arrived
 * meanwhile (project/memo-rebase.ts), so neither edit is lost. Saved a
 * moment after typing stops and on leaving the field; a colleague's change
 * shows as soon as nothing typed here waits to be saved.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { api } from "./api";
import { ErrorText, useAction } from "./action";

const SAVE_AFTER_MS = 400;

export function MemoEditor(props: {
  readonly type: string;
  readonly id: string;
  readonly memo: string;
  readonly label: string;
  readonly readOnly?: boolean;
}) {
  const base = useRef(props.memo);
  const pending = useRef(false);
  const timer = useRef<number | undefined>(undefined);
  const [text, setText] = useState(props.memo);
  const save = useAction();
  const [state, setState] = useState<"saved" | "typing" | "saving">("saved");
  useEffect(() => {
    if (pending.current) return;
    base.current = props.memo;
    setText(props.memo);
  }, [props.memo, props.id]);
  const flush = async (value: string) => {
    window.clearTimeout(timer.current);
    if (!pending.current) return;
    pending.current = false;
    setState("saving");
    const from = base.current;
    const ok = await save.run(async () => {
      const { memo } = await api<{ memo: string }>("PUT", `/api/memos/${props.type}/${encodeURIComponent(props.id)}`, {
        base: from,
        text: value,
      });
      base.current = memo;
      if (!pending.current) setText(memo);
    });
    if (!ok) pending.current = true;
    setState(pending.current ? "typing" : "saved");
  };
  const fieldId = `memo-${props.type}-${props.id}`;
  return (
    <div class="memo">
      <label for={fieldId}>{props.label}</label>
      <textarea
        id={fieldId}
        rows={4}
        value={text}
        readOnly={props.readOnly === true}
        onInput={(e) => {
          const value = (e.target as HTMLTextAreaElement).value;
          setText(value);
          pending.current = true;
          setState("typing");
          window.clearTimeout(timer.current);
          timer.current = window.setTimeout(() => void flush(value), SAVE_AFTER_MS);
        }}
        onBlur={(e) => void flush((e.target as HTMLTextAreaElement).value)}
      />
      <span class="hint memo-state" data-state={state}>
        {state === "saved" ? "Saved" : state === "saving" ? "Saving…" : "Typing…"}
      </span>
      <ErrorText action={save} />
    </div>
  );
}
