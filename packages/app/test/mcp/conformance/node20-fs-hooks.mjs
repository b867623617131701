// Resolve hook: only the conformance bundle's bare "fs" import is redirected to the shim.
const shim = new URL("./node20-fs-shim.mjs", import.meta.url).href;
export async function resolve(specifier, context, next) {
  if ((specifier === "fs" || specifier === "node:fs") && context.parentURL?.includes("/@modelcontextprotocol/conformance/")) {
    return { url: shim, shortCircuit: true };
  }
  return next(specifier, context);
}
