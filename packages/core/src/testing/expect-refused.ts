/**
 * Test support: a researcher command is refused with a `CommandError` of the
 * given reason and message, and nothing is written (the log and the
 * materialised state are as before).
 */
import { expect } from "vitest";
import { CommandError, type CommandErrorReason } from "../commands/errors.js";
import type { Replica } from "../replica.js";

export function expectCommandRefused(r: Replica, fn: () => unknown, reason: CommandErrorReason, message: RegExp): void {
  const before = r.sync.opsAfter().length;
  const state = r.read.canonicalState();
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(CommandError);
  expect((caught as CommandError).reason).toBe(reason);
  expect((caught as CommandError).message).toMatch(message);
  expect(r.sync.opsAfter().length).toBe(before);
  expect(r.read.canonicalState()).toBe(state);
}
