/** Who last set each field of an entity, and when (the history's blame), on the entity's panel. */
import { get } from "./api";
import { useLive } from "./live";
import { WhenWritten } from "./received";

interface FieldBlame {
  readonly opId: string;
  readonly actor: string;
  readonly hlc: string;
  readonly kind: string;
  readonly authoredAt: string;
  readonly receivedAt?: string;
  readonly receivedLate: boolean;
}

export function Blame({ type, id }: { readonly type: string; readonly id: string }) {
  const blame = useLive(
    () => get<{ fields: Record<string, ReadonlyArray<FieldBlame>> }>(`/api/blame/${type}/${encodeURIComponent(id)}`),
    [type, id],
  );
  const fields = Object.entries(blame.data?.fields ?? {});
  return (
    <details class="blame">
      <summary>Who changed what</summary>
      {fields.length === 0 ? (
        <p class="empty">{blame.error ?? "No changes recorded."}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Last changed by</th>
              <th scope="col">When</th>
            </tr>
          </thead>
          <tbody>
            {fields.map(([field, list]) => {
              const last = list[list.length - 1];
              return (
                <tr key={field}>
                  <td>{field}</td>
                  <td>{last?.actor ?? ""}</td>
                  <td>{last === undefined ? "" : <WhenWritten times={last} />}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </details>
  );
}
