/**
 * The sync status in the researcher's words, with a colour and an icon for
 * each state (never colour alone), and what to do when sync stopped.
 * Fed by the server's event stream (live.ts), not by polling.
 */
import { api } from "./api";
import { useAction, ErrorText } from "./action";
import { status, type Status } from "./live";
import { go } from "./route";

export function edits(n: number): string {
  return `${n} edit${n === 1 ? "" : "s"}`;
}

export function clock(iso: string | null | undefined): string {
  if (iso === null || iso === undefined) return "never";
  const d = new Date(iso);
  const today = new Date().toDateString() === d.toDateString();
  return today ? d.toLocaleTimeString() : d.toLocaleString();
}

interface StatusWords {
  readonly icon: string;
  readonly words: string;
  readonly detail?: string;
  /** The server's own words, kept apart: they help whoever runs the server, not the researcher. */
  readonly serverSaid?: string;
}

export function describeStatus(s: Status): StatusWords {
  const waiting = s.toPush > 0 ? ` · ${edits(s.toPush)} waiting to sync` : "";
  switch (s.state) {
    case "disabled":
      return { icon: "○", words: "Cloud sync off — saved on this computer" };
    case "offline":
      return {
        icon: "⚠",
        words: `Offline — ${edits(s.toPush)} waiting to sync`,
        detail: `Last synced: ${clock(s.lastSyncedAt)}. Your edits are saved on this computer and sync when the server is back.`,
      };
    case "connecting":
      return { icon: "…", words: `Connecting to the sync server${waiting}` };
    case "syncing":
      return { icon: "⟳", words: `Syncing — sending ${edits(s.toPush)}, receiving ${s.toPull ?? 0}` };
    case "synced":
      return { icon: "✓", words: `Synced since ${clock(s.since)}${waiting}` };
    case "error": {
      const message = s.message ?? s.reason ?? "unknown problem";
      const cut = message.indexOf(" (server: ");
      if (cut < 0 || !message.endsWith(")")) return { icon: "✕", words: "Sync stopped", detail: message };
      return { icon: "✕", words: "Sync stopped", detail: message.slice(0, cut), serverSaid: message.slice(cut + 10, -1) };
    }
  }
}

export function StatusIndicator() {
  const s = status.value;
  const retry = useAction();
  if (s === undefined)
    return (
      <div class="status status-unknown" role="status">
        Connecting to qc serve…
      </div>
    );
  const { icon, words, detail, serverSaid } = describeStatus(s);
  return (
    <div class={`status status-${s.state}`} role="status" aria-live="polite" data-state={s.state} data-to-push={s.toPush}>
      <span class="status-icon" aria-hidden="true">
        {icon}
      </span>
      <span class="status-words">{words}</span>
      {detail !== undefined && <span class="status-detail">{detail}</span>}
      {serverSaid !== undefined && (
        <details class="status-server">
          <summary>What the server said</summary>
          {serverSaid}
        </details>
      )}
      {s.state === "error" && (
        <span class="status-actions">
          <button type="button" onClick={() => go("settings")}>
            Open settings
          </button>
          <button type="button" disabled={retry.busy} onClick={() => void retry.run(() => api("POST", "/api/sync-now"))}>
            Retry
          </button>
        </span>
      )}
      <ErrorText action={retry} />
    </div>
  );
}
