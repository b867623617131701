/**
 * Last writer wins by HLC (docs/spec/merge-rules.md rules 1 and 3): a write
 * replaces the current one only with a strictly higher HLC. HLCs are unique
 * per op and sort as strings, so any arrival order keeps the same winner.
 * The register upsert in registers.ts states the same compare in SQL
 * (`WHERE excluded.hlc > m_registers.hlc`), where the compare is the write.
 */

export function wins(incoming: string, current: string | null): boolean {
  return current === null || incoming > current;
}
