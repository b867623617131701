/**
 * Running an action from a control: while it runs the control can show it
 * is busy; when the server refuses, the message is shown right there
 * (role="alert"), not in a distant banner.
 */
import { useState } from "preact/hooks";
import { ApiError } from "./api";

export interface Action {
  readonly run: (work: () => Promise<unknown>) => Promise<boolean>;
  readonly error: string | undefined;
  readonly busy: boolean;
  readonly clear: () => void;
}

export function useAction(): Action {
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  return {
    error,
    busy,
    clear: () => setError(undefined),
    run: async (work) => {
      setBusy(true);
      setError(undefined);
      try {
        await work();
        return true;
      } catch (e) {
        setError(e instanceof ApiError ? e.message : String(e));
        return false;
      } finally {
        setBusy(false);
      }
    },
  };
}

export function ErrorText({ action, id }: { readonly action: Action; readonly id?: string }) {
  if (action.error === undefined) return null;
  return (
    <p class="error" role="alert" {...(id === undefined ? {} : { id })}>
      {action.error}
    </p>
  );
}
