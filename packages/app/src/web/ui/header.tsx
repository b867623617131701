/** The header on every page: project, who is coding, the sync status, "Sync now" (when sync is on), the pages. */
import { api } from "./api";
import { ErrorText, useAction } from "./action";
import { status } from "./live";
import { PAGES, route } from "./route";
import { StatusIndicator } from "./status-indicator";

export interface ProjectHeader {
  readonly name: string;
  readonly actor: string;
}

export function Header({ project }: { readonly project: ProjectHeader | undefined }) {
  const syncNow = useAction();
  const on = status.value?.cloudSyncEnabled === true;
  const here = route.value[0];
  return (
    <header class="top">
      <div class="top-row">
        <h1 class="project-name">{project?.name || "Untitled project"}</h1>
        <span class="coder">
          Coding as <strong>{project?.actor ?? "…"}</strong>
        </span>
        <StatusIndicator />
        {on && (
          <button
            type="button"
            class="sync-now"
            disabled={syncNow.busy}
            onClick={() => void syncNow.run(() => api("POST", "/api/sync-now"))}
          >
            {syncNow.busy ? "Syncing…" : "Sync now"}
          </button>
        )}
      </div>
      <ErrorText action={syncNow} />
      <nav aria-label="Pages">
        {PAGES.map((p) => (
          <a href={`#/${p.path}`} aria-current={here === p.path ? "page" : undefined} key={p.path}>
            {p.label}
          </a>
        ))}
      </nav>
    </header>
  );
}
