/**
 * Cases, attributes and case-source links.
 *
 * An attribute value is a register `attr:<attributeId>` on the case or
 * source (docs/design.md §2), checked against the attribute's value type.
 * Links are an add-wins set: `unlink` removes the link adds this replica
 * holds, so a concurrent re-link elsewhere survives.
 */
import { ATTRIBUTE_FIELD_PREFIX, ATTRIBUTE_TARGETS, ATTRIBUTE_VALUE_TYPES } from "../op/domain.js";
import type { CommandContext } from "./context.js";
import { setField } from "./common.js";
import { fail } from "./errors.js";
import { fieldOf, linkAdds, requireLive } from "./read.js";
import { checkAttributeValue, checkName, type AttributeValueType } from "./validate.js";

export function createCase(ctx: CommandContext, input: { readonly name: string }): string {
  const name = checkName(input.name, "case");
  const id = ctx.newId();
  ctx.emit([{ kind: "create", target: { type: "case", id }, body: { fields: { name } } }]);
  return id;
}

export interface CreateAttributeInput {
  readonly name: string;
  readonly valueType: AttributeValueType;
  readonly appliesTo: "case" | "source";
}

export function createAttribute(ctx: CommandContext, input: CreateAttributeInput): string {
  const name = checkName(input.name, "attribute");
  if (!ATTRIBUTE_VALUE_TYPES.includes(input.valueType)) {
    fail(
      "invalid-value",
      `attribute value type must be one of ${ATTRIBUTE_VALUE_TYPES.join(", ")}; got ${JSON.stringify(input.valueType)}`,
    );
  }
  if (!ATTRIBUTE_TARGETS.includes(input.appliesTo)) {
    fail("invalid-value", `an attribute applies to a case or a source; got ${JSON.stringify(input.appliesTo)}`);
  }
  const id = ctx.newId();
  const fields = { name, valueType: input.valueType, appliesTo: input.appliesTo };
  ctx.emit([{ kind: "create", target: { type: "attribute", id }, body: { fields } }]);
  return id;
}

export interface SetAttributeValueInput {
  readonly target: { readonly type: "case" | "source"; readonly id: string };
  readonly attribute: string;
  /** Matching the attribute's value type; null clears it. */
  readonly value: unknown;
}

export function setAttributeValue(ctx: CommandContext, input: SetAttributeValueInput): void {
  const { target, attribute } = input;
  requireLive(ctx.db, "attribute", attribute);
  const appliesTo = fieldOf(ctx.db, "attribute", attribute, "appliesTo");
  const name = String(fieldOf(ctx.db, "attribute", attribute, "name"));
  if (appliesTo !== target.type) fail("invalid-value", `attribute "${name}" applies to ${String(appliesTo)}s, not to a ${target.type}`);
  requireLive(ctx.db, target.type, target.id);
  const valueType = fieldOf(ctx.db, "attribute", attribute, "valueType") as AttributeValueType;
  const value = checkAttributeValue(input.value, valueType, name);
  setField(ctx, target.type, target.id, `${ATTRIBUTE_FIELD_PREFIX}${attribute}`, value);
}

export function linkSource(ctx: CommandContext, caseId: string, source: string): void {
  requireLive(ctx.db, "case", caseId);
  requireLive(ctx.db, "source", source);
  if (linkAdds(ctx.db, caseId, source).length > 0) return; // already linked: nothing to add
  ctx.emit([{ kind: "link", target: { type: "case", id: caseId }, body: { source } }]);
}

export function unlinkSource(ctx: CommandContext, caseId: string, source: string): void {
  requireLive(ctx.db, "case", caseId);
  const adds = linkAdds(ctx.db, caseId, source);
  if (adds.length === 0) fail("not-linked", `source ${source} is not linked to case ${caseId}: nothing to unlink`);
  ctx.emit([{ kind: "unlink", target: { type: "case", id: caseId }, body: { adds: [...adds] } }]);
}
