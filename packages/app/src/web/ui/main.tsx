/**
 * The qc web UI (bundled by build.mjs with esbuild; no network at run
 * time): the header on every page and the page the URL hash names.
 */
import { render } from "preact";
import { get } from "./api";
import { CodesPage } from "./codes-page";
import { ConflictsPage } from "./conflicts-page";
import { Header, type ProjectHeader } from "./header";
import { HistoryPage } from "./history-page";
import { connectEvents, useLive } from "./live";
import { MemosPage } from "./memos-page";
import { route } from "./route";
import { SettingsPage } from "./settings-page";
import { SourcesPage } from "./sources-page";

function Page({ project }: { readonly project: ProjectHeader | undefined }) {
  switch (route.value[0]) {
    case "settings":
      return <SettingsPage />;
    case "sources":
      return <SourcesPage actor={project?.actor ?? ""} />;
    case "memos":
      return <MemosPage />;
    case "conflicts":
      return <ConflictsPage />;
    case "history":
      return <HistoryPage />;
    default:
      return <CodesPage />;
  }
}

function App() {
  const project = useLive(() => get<ProjectHeader>("/api/project"));
  return (
    <>
      <Header project={project.data} />
      <main id="main">
        <Page project={project.data} />
      </main>
    </>
  );
}

connectEvents();
render(<App />, document.getElementById("app")!);
