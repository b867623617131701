/**
 * The qc web UI (bundled by build.mjs with esbuild; no network at run
 * time): the header on every page and the page the URL hash names.
 */
import { render } from "preact";
import { get } from "./api";
import { CodesPage } from "./codes-page";
import { Header, type ProjectHeader } from "./header";
import { connectEvents, useLive } from "./live";
import { route } from "./route";
import { SettingsPage } from "./settings-page";

function Page() {
  switch (route.value[0]) {
    case "settings":
      return <SettingsPage />;
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
        <Page />
      </main>
    </>
  );
}

connectEvents();
render(<App />, document.getElementById("app")!);
