/** Stand-in for Convex codegen output: the fixture uses the generic builders. */
export { queryGeneric as query, mutationGeneric as mutation } from "convex/server";
