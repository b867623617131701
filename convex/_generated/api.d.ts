/* eslint-disable */
/**
 * Generated `api` utility.
 *
 * THIS CODE IS AUTOMATICALLY GENERATED.
 *
 * To regenerate, run `npx convex dev`.
 * @module
 */

import type {
  ApiFromModules,
  FilterApi,
  FunctionReference,
} from "convex/server";
import type * as lib_auth from "../lib/auth.js";
import type * as lib_check from "../lib/check.js";
import type * as lib_creation_key from "../lib/creation-key.js";
import type * as lib_errors from "../lib/errors.js";
import type * as lib_limits from "../lib/limits.js";
import type * as lib_names from "../lib/names.js";
import type * as lib_protocol from "../lib/protocol.js";
import type * as lib_replicas from "../lib/replicas.js";
import type * as lib_stored from "../lib/stored.js";
import type * as lib_tokens from "../lib/tokens.js";
import type * as members from "../members.js";
import type * as ops from "../ops.js";
import type * as projects from "../projects.js";

/**
 * A utility for referencing Convex functions in your app's API.
 *
 * Usage:
 * ```js
 * const myFunctionReference = api.myModule.myFunction;
 * ```
 */
declare const fullApi: ApiFromModules<{
  "lib/auth": typeof lib_auth;
  "lib/check": typeof lib_check;
  "lib/creation-key": typeof lib_creation_key;
  "lib/errors": typeof lib_errors;
  "lib/limits": typeof lib_limits;
  "lib/names": typeof lib_names;
  "lib/protocol": typeof lib_protocol;
  "lib/replicas": typeof lib_replicas;
  "lib/stored": typeof lib_stored;
  "lib/tokens": typeof lib_tokens;
  members: typeof members;
  ops: typeof ops;
  projects: typeof projects;
}>;
export declare const api: FilterApi<
  typeof fullApi,
  FunctionReference<any, "public">
>;
export declare const internal: FilterApi<
  typeof fullApi,
  FunctionReference<any, "internal">
>;
