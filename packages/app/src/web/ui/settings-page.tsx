/**
 * Settings > Database (the seed's page): primary storage is always the
 * SQLite file; cloud sync with Convex is a choice, with the deployment URL
 * checked by the server as the CLI checks it (the refusal shown beside the
 * field, nothing saved), "Test connection", and Save, which takes effect at
 * once; below it the team (team-section.tsx).
 */
import { useEffect, useState } from "preact/hooks";
import { api, get } from "./api";
import { ErrorText, useAction } from "./action";
import { useLive } from "./live";
import { TeamSection } from "./team-section";

interface Settings {
  readonly primaryStorage: string;
  readonly cloudSyncEnabled: boolean;
  readonly convexUrl: string | null;
  readonly convexUrlSource: string;
  readonly token: string | null;
  readonly actor: string;
  readonly hasTeam: boolean;
}

export function SettingsPage() {
  const settings = useLive(() => get<Settings>("/api/settings"));
  const [enabled, setEnabled] = useState<boolean | undefined>(undefined);
  const [url, setUrl] = useState("");
  const [saved, setSaved] = useState<string | undefined>(undefined);
  const [tested, setTested] = useState<string | undefined>(undefined);
  const save = useAction();
  const test = useAction();
  const s = settings.data;
  useEffect(() => {
    if (s === undefined || enabled !== undefined) return;
    setEnabled(s.cloudSyncEnabled);
    setUrl(s.convexUrl ?? "");
  }, [s]);
  if (s === undefined || enabled === undefined) return <p>{settings.error ?? "Loading settings…"}</p>;
  const onSave = async (e: Event) => {
    e.preventDefault();
    setSaved(undefined);
    const ok = await save.run(() =>
      api("PUT", "/api/settings", enabled ? { cloudSyncEnabled: true, convexUrl: url } : { cloudSyncEnabled: false }),
    );
    if (ok) {
      setSaved(enabled ? "Saved. Cloud sync is on." : "Saved. Cloud sync is off: your work stays on this computer.");
      settings.reload();
    }
  };
  return (
    <section aria-labelledby="settings-title">
      <h2 id="settings-title">Settings › Database</h2>
      <form class="settings" onSubmit={(e) => void onSave(e)}>
        <p>
          Primary storage: <strong>{s.primaryStorage}</strong>
        </p>
        <p class="hint">Everything you do is saved in this project file first. Cloud sync shares it with your team.</p>
        <label class="check">
          <input type="checkbox" id="cloud-sync" checked={enabled} onChange={(e) => setEnabled((e.target as HTMLInputElement).checked)} />
          Enable cloud sync with Convex
        </label>
        {enabled && (
          <div class="field">
            <label for="convex-url">Convex deployment URL</label>
            <input
              id="convex-url"
              type="text"
              inputMode="url"
              placeholder="https://happy-otter-123.convex.cloud"
              value={url}
              aria-invalid={save.error !== undefined}
              aria-describedby={save.error !== undefined ? "convex-url-error" : undefined}
              onInput={(e) => {
                setUrl((e.target as HTMLInputElement).value);
                save.clear();
              }}
            />
            <ErrorText action={save} id="convex-url-error" />
            {s.convexUrlSource === "QC_CONVEX_URL" && <p class="hint">QC_CONVEX_URL overrides this URL while qc serve runs.</p>}
            <div class="row">
              <button
                type="button"
                disabled={test.busy}
                onClick={() =>
                  void test.run(async () =>
                    setTested((await api<{ message: string }>("POST", "/api/settings/test", { convexUrl: url })).message),
                  )
                }
              >
                {test.busy ? "Testing…" : "Test connection"}
              </button>
              {tested !== undefined && test.error === undefined && (
                <span class="ok" role="status">
                  {tested}
                </span>
              )}
            </div>
            <ErrorText action={test} />
          </div>
        )}
        {!enabled && <ErrorText action={save} />}
        <div class="row">
          <button type="submit" class="primary" disabled={save.busy}>
            Save
          </button>
          {saved !== undefined && (
            <span class="ok" role="status">
              {saved}
            </span>
          )}
        </div>
      </form>
      <TeamSection hasTeam={s.hasTeam} onChange={settings.reload} />
    </section>
  );
}
