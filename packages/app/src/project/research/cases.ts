/**
 * Cases, attributes and case-source links for the front doors. Attribute
 * values arrive as text from a command line and are read by the
 * attribute's value type (a number, true/false, a date or text); the core
 * command checks them.
 */
import type { EntityType, Replica } from "@qc/core";
import { nameOf, resolveRef } from "./refs.js";

export interface CaseSummary {
  readonly id: string;
  readonly name: string;
  readonly sources: ReadonlyArray<string>;
  readonly attributes: { readonly [name: string]: unknown };
}

export function addCase(replica: Replica, name: string): string {
  return replica.commands.createCase({ name });
}

export function listCases(replica: Replica): ReadonlyArray<CaseSummary> {
  const attributes = replica.read.entities("attribute");
  return replica.read.entities("case").map((c) => ({
    id: c.id,
    name: nameOf(c),
    sources: replica.read.links(c.id).map((l) => l.source),
    attributes: Object.fromEntries(
      attributes.flatMap((a) => (c.fields[`attr:${a.id}`] === undefined ? [] : [[nameOf(a), c.fields[`attr:${a.id}`]]])),
    ),
  }));
}

export function linkSource(replica: Replica, caseRef: string, sourceRef: string, linked: boolean): void {
  const caseId = resolveRef(replica, "case", caseRef);
  const source = resolveRef(replica, "source", sourceRef);
  if (linked) replica.commands.linkSource(caseId, source);
  else replica.commands.unlinkSource(caseId, source);
}

export interface AddAttributeInput {
  readonly name: string;
  readonly valueType: string;
  readonly appliesTo: string;
}

export function addAttribute(replica: Replica, input: AddAttributeInput): string {
  return replica.commands.createAttribute(input as Parameters<Replica["commands"]["createAttribute"]>[0]);
}

export function listAttributes(replica: Replica): ReadonlyArray<{ id: string; name: string; valueType: unknown; appliesTo: unknown }> {
  return replica.read
    .entities("attribute")
    .map((a) => ({ id: a.id, name: nameOf(a), valueType: a.fields["valueType"], appliesTo: a.fields["appliesTo"] }));
}

/** `target`: a case or source (by id or name, as the attribute applies to); `value`: as typed, or "" to clear. */
export function setAttribute(replica: Replica, attributeRef: string, target: string, value: string): void {
  const attribute = resolveRef(replica, "attribute", attributeRef);
  const fields = replica.read.entity("attribute", attribute)?.fields ?? {};
  const type = (fields["appliesTo"] === "source" ? "source" : "case") satisfies EntityType;
  replica.commands.setAttributeValue({
    target: { type, id: resolveRef(replica, type, target) },
    attribute,
    value: readValue(value, String(fields["valueType"])),
  });
}

function readValue(value: string, valueType: string): unknown {
  if (value === "") return null;
  if (valueType === "number") return value.trim() === "" ? value : Number(value);
  if (valueType === "boolean") return value === "true" ? true : value === "false" ? false : value;
  return value;
}
