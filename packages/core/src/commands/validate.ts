/**
 * Input checks shared by the commands. Each throws a `CommandError` saying
 * what was wrong and what to do; none reads or writes the database.
 */
import { type ATTRIBUTE_VALUE_TYPES, validateColor, validateName } from "../op/domain.js";
import type { JsonValue } from "../op/op.js";
import { refusedCharacter } from "../op/actor.js";
import { fail } from "./errors.js";

/**
 * Trims a researcher-typed name and checks it: the op rules, and none of the
 * characters an actor name may not hold (controls, bidi overrides, invisible
 * ones), which would make the name read as something else. Only commands
 * refuse those: a remote op carrying one is still valid (refusing it now
 * would quarantine ops that replicas already hold).
 */
export function checkName(name: unknown, what: string): string {
  const trimmed = typeof name === "string" ? name.trim().normalize("NFC") : name;
  const invalid = validateName(trimmed);
  if (invalid !== undefined) fail("invalid-name", `${what} name is not valid: ${invalid}`);
  const refused = refusedCharacter(trimmed as string);
  if (refused !== undefined) fail("invalid-name", `${what} name is not valid: it ${refused}; type the name again without it`);
  return trimmed as string;
}

export function checkColor(color: unknown): string {
  if (validateColor(color) !== undefined) {
    fail("invalid-color", `colour ${JSON.stringify(color)} is not valid: give it as #RRGGBB, e.g. #3a7bd5`);
  }
  return color as string;
}

export function checkIndex(index: unknown, length: number, what: string): number {
  if (typeof index !== "number" || !Number.isInteger(index) || index < 0 || index > length) {
    fail("out-of-range", `${what} ${String(index)} is outside the text (0 to ${length} characters)`);
  }
  return index;
}

export type AttributeValueType = (typeof ATTRIBUTE_VALUE_TYPES)[number];

/** Checks a value against an attribute's type; null clears the value. */
export function checkAttributeValue(value: unknown, valueType: AttributeValueType, attribute: string): JsonValue {
  if (value === null) return null;
  const ok =
    (valueType === "text" && typeof value === "string") ||
    (valueType === "number" && typeof value === "number" && Number.isFinite(value)) ||
    (valueType === "boolean" && typeof value === "boolean") ||
    (valueType === "date" && typeof value === "string" && isIsoDate(value));
  if (!ok) {
    fail("invalid-value", `attribute "${attribute}" holds ${describeType(valueType)}, got ${JSON.stringify(value) ?? String(value)}`);
  }
  return value;
}

function isIsoDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00.000Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
}

function describeType(valueType: AttributeValueType): string {
  switch (valueType) {
    case "text":
      return "text";
    case "number":
      return "a number";
    case "boolean":
      return "true or false";
    case "date":
      return "a date (YYYY-MM-DD)";
  }
}
