/** The page shown, from the URL hash (#/codes, #/sources/ID, ...), so back/forward and reload keep it. */
import { signal } from "@preact/signals";

export const PAGES = [
  { path: "codes", label: "Codes" },
  { path: "sources", label: "Sources" },
  { path: "memos", label: "Memos" },
  { path: "conflicts", label: "Conflicts" },
  { path: "history", label: "History" },
  { path: "settings", label: "Settings" },
] as const;

const parse = (): ReadonlyArray<string> => {
  const parts = location.hash
    .replace(/^#\/?/, "")
    .split("/")
    .filter((p) => p !== "")
    .map(decodeURIComponent);
  return parts.length === 0 ? ["codes"] : parts;
};

export const route = signal<ReadonlyArray<string>>(parse());
addEventListener("hashchange", () => (route.value = parse()));

export function go(...parts: ReadonlyArray<string>): void {
  location.hash = `#/${parts.map(encodeURIComponent).join("/")}`;
}
