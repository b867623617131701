/**
 * How researchers name things on the command line: by id, or by name. A
 * reference that is an entity's id names it (deleted ones too); otherwise
 * it names the one live entity of that type whose name matches (trimmed,
 * NFC, case-insensitive, as duplicate names are compared; among several
 * such, the one spelled exactly so). No match, or several, is a
 * `CommandError` "not-found" that says what to give instead.
 */
import { CommandError, normaliseName, type EntityState, type EntityType, type Replica } from "@qc/core";

export function resolveRef(replica: Replica, type: EntityType, ref: string, options: { readonly deleted?: boolean } = {}): string {
  if (replica.read.entity(type, ref) !== undefined) return ref;
  const wanted = normaliseName(ref);
  const candidates = replica.read.entities(type, { includeDeleted: options.deleted === true });
  const loose = candidates.filter((e) => typeof e.fields["name"] === "string" && normaliseName(e.fields["name"]) === wanted);
  const exact = loose.filter((e) => e.fields["name"] === ref.trim());
  const matches = loose.length > 1 && exact.length === 1 ? exact : loose;
  const [only, ...others] = matches;
  if (only !== undefined && others.length === 0) return only.id;
  const message =
    matches.length === 0
      ? `no ${type} with the id or name ${JSON.stringify(ref)}; list them to see the names and ids`
      : `${matches.length} ${type}s are named ${JSON.stringify(ref)} (${matches.map((m) => m.id).join(", ")}); give the id`;
  throw new CommandError({ reason: "not-found", message });
}

/** An entity's name for messages and tables ("" if it has none). */
export function nameOf(entity: EntityState | undefined): string {
  const name = entity?.fields["name"];
  return typeof name === "string" ? name : "";
}
