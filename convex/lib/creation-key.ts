/**
 * Who may create projects on a deployment. With the Convex environment
 * variable QC_PROJECT_CREATION_KEY set (`npx convex env set`, docs/convex.md),
 * `projects:create` needs that key; unset or empty, anyone who reaches the
 * deployment may (a self-hosted team's default). The key is never echoed,
 * and compared by hash so the comparison does not depend on where the
 * strings first differ.
 */
import { fail } from "./errors.js";
import { hashToken } from "./tokens.js";

export const CREATION_KEY_VARIABLE = "QC_PROJECT_CREATION_KEY";

/** Throws `creation-key-refused` unless the deployment needs no key or `key` is it. */
export function requireCreationKey(key: string | undefined): void {
  const required = process.env[CREATION_KEY_VARIABLE];
  if (required === undefined || required === "") return;
  if (key === undefined || key === "") {
    fail(
      "creation-key-refused",
      "This deployment requires a project creation key to create a project: ask its administrator for the key and pass it as `key`.",
    );
  }
  if (hashToken(key) !== hashToken(required)) {
    fail("creation-key-refused", "The project creation key is not this deployment's: check it with the deployment's administrator.");
  }
}
