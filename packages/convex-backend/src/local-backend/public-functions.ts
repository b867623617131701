/**
 * Clients may call only public functions of the right type, as on a real
 * deployment: an internal function, a missing one, or a query called as a
 * mutation is refused with Convex's "Could not find public function" message.
 */
import { relative } from "node:path";
import type { ModuleMap } from "./module-map.js";
import { canonicalUdfPath, type UdfType } from "./udf.js";

/** Undefined when `path` names a public function of `type`; else the refusal message. */
export type PublicCheck = (type: UdfType, path: string) => Promise<string | undefined>;

interface RegisteredFlags {
  readonly isPublic?: boolean;
  readonly isQuery?: boolean;
  readonly isMutation?: boolean;
  readonly isAction?: boolean;
}

export function makePublicCheck(root: string, modules: ModuleMap): PublicCheck {
  const byName = new Map<string, () => Promise<unknown>>();
  for (const [file, load] of Object.entries(modules)) {
    byName.set(
      relative(root, file)
        .replace(/\.[^.]+$/, "")
        .split("\\")
        .join("/"),
      load,
    );
  }
  return async (type, path) => {
    const canonical = canonicalUdfPath(path);
    const [moduleName = "", exportName = ""] = canonical.split(":");
    const load = byName.get(moduleName);
    const exported = load === undefined ? undefined : ((await load()) as Record<string, unknown>)[exportName];
    const flags = (exported ?? {}) as RegisteredFlags;
    const typeMatches = type === "query" ? flags.isQuery : type === "mutation" ? flags.isMutation : flags.isAction;
    if (flags.isPublic === true && typeMatches === true) return undefined;
    return `Could not find public function for '${canonical}'. Did you forget to run \`npx convex dev\` or \`npx convex deploy\`?`;
  };
}
