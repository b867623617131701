/**
 * Runs one Convex function through convex-test and returns its outcome in
 * wire form (Convex JSON values, ConvexError data as `errorData`), the way a
 * real deployment reports it to clients.
 */
import { makeFunctionReference, type GenericDataModel, type GenericMutationCtx } from "convex/server";
import { convexToJson, jsonToConvex, type JSONValue, type Value } from "convex/values";
import type { UdfOutcome } from "./wire.js";

export type UdfType = "query" | "mutation" | "action";

/** The part of a convex-test instance the backend calls. */
export interface ConvexTestRunner {
  readonly query: (ref: never, args: never) => Promise<unknown>;
  readonly mutation: (ref: never, args: never) => Promise<unknown>;
  readonly action: (ref: never, args: never) => Promise<unknown>;
  readonly run: <T>(func: (ctx: GenericMutationCtx<GenericDataModel>) => Promise<T>) => Promise<T>;
}

/** `mod.js:fn`, `mod` or `mod:fn` → `mod:fn` (what convex-test resolves). */
export function canonicalUdfPath(udfPath: string): string {
  const cut = udfPath.lastIndexOf(":");
  const mod = cut === -1 ? udfPath : udfPath.slice(0, cut);
  const fn = cut === -1 ? "default" : udfPath.slice(cut + 1);
  return `${mod.replace(/\.js$/, "")}:${fn}`;
}

/** `argsJson` is the protocol's `args` array: one encoded object. */
export async function runUdf(t: ConvexTestRunner, type: UdfType, udfPath: string, argsJson: ReadonlyArray<JSONValue>): Promise<UdfOutcome> {
  const path = canonicalUdfPath(udfPath);
  try {
    const args = jsonToConvex(argsJson[0] ?? {}) as Record<string, Value>;
    const ref = makeFunctionReference(path) as never;
    const value = await t[type](ref, args as never);
    return { success: true, value: convexToJson((value ?? null) as Value) };
  } catch (error) {
    return encodeFailure(type, path, error);
  }
}

/** The message and data a Convex deployment sends for a failed function. */
export function encodeFailure(type: UdfType, path: string, error: unknown): UdfOutcome {
  const tag = `[CONVEX ${type[0]?.toUpperCase()}(${path})]`;
  if (isConvexError(error)) {
    const errorData = convexToJson(error.data as Value);
    return { success: false, errorMessage: `${tag} Uncaught ConvexError: ${JSON.stringify(errorData)}`, errorData };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { success: false, errorMessage: `${tag} Uncaught Error: ${message}` };
}

function isConvexError(error: unknown): error is { data: unknown } {
  return error instanceof Error && error.name === "ConvexError" && "data" in error;
}
