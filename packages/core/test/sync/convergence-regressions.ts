/**
 * Counterexamples the convergence property found, kept as regression cases
 * (run first, before the random ones). Add a case as fast-check printed it.
 */
import type { Scenario } from "./convergence.test.js";

export const regressions: ReadonlyArray<Scenario> = [];
