/**
 * Codes: create codes and categories, filter the tree, select one to
 * rename, recolour, move (menu or drag and drop), delete, merge and write
 * its memo; deleted ones can be restored. Every change is an op through
 * the server, and every page (here and at colleagues') shows it live.
 */
import { useState } from "preact/hooks";
import { api, get } from "./api";
import { ErrorText, useAction } from "./action";
import { Blame } from "./blame";
import { CodeTree, flatten, type TreeNode } from "./code-tree";
import { useLive } from "./live";
import { MemoEditor } from "./memo-editor";

export interface CodesData {
  readonly tree: ReadonlyArray<TreeNode>;
  readonly deleted: ReadonlyArray<{ readonly type: "code" | "category"; readonly id: string; readonly name: string }>;
  readonly codes: ReadonlyArray<{ readonly id: string; readonly name: string; readonly color: string; readonly memo: string }>;
}

export function CodesPage() {
  const codes = useLive(() => get<CodesData>("/api/codes"));
  const [filter, setFilter] = useState("");
  const [selected, setSelected] = useState<string | undefined>(undefined);
  const move = useAction();
  const d = codes.data;
  if (d === undefined) return <p>{codes.error ?? "Loading codes…"}</p>;
  const all = flatten(d.tree);
  const node = all.find((n) => n.id === selected);
  return (
    <section class="columns" aria-labelledby="codes-title">
      <div class="column">
        <h2 id="codes-title">Codes</h2>
        <NewCodeForm categories={all.filter((n) => n.type === "category")} />
        <div class="filter">
          <label for="code-filter">Filter</label>
          <input
            id="code-filter"
            type="search"
            placeholder="Type to filter codes"
            value={filter}
            onInput={(e) => setFilter((e.target as HTMLInputElement).value)}
          />
        </div>
        <CodeTree
          nodes={d.tree}
          filter={filter}
          selected={selected}
          onSelect={(n) => setSelected(n.id)}
          onMove={(n, parent) => void move.run(() => api("PATCH", `/api/codes/${n.type}/${n.id}`, { parent }))}
        />
        <ErrorText action={move} />
        {d.deleted.length > 0 && <Deleted items={d.deleted} />}
      </div>
      <div class="column panel">
        {node === undefined ? (
          <p class="empty">Select a code or category to change it.</p>
        ) : (
          <CodePanel key={node.id} node={node} all={all} memo={d.codes.find((c) => c.id === node.id)?.memo ?? ""} />
        )}
      </div>
    </section>
  );
}

function NewCodeForm({ categories }: { readonly categories: ReadonlyArray<TreeNode> }) {
  const [name, setName] = useState("");
  const [kind, setKind] = useState<"code" | "category">("code");
  const [parent, setParent] = useState("");
  const create = useAction();
  return (
    <form
      class="new-code"
      onSubmit={(e) => {
        e.preventDefault();
        void create
          .run(() => api("POST", "/api/codes", { kind, name, ...(parent === "" ? {} : { parent }) }))
          .then((ok) => ok && setName(""));
      }}
    >
      <label for="new-code-name">New {kind}</label>
      <div class="row">
        <input id="new-code-name" value={name} placeholder="Name" onInput={(e) => setName((e.target as HTMLInputElement).value)} />
        <label class="sr-only" for="new-code-kind">
          Kind
        </label>
        <select id="new-code-kind" value={kind} onChange={(e) => setKind((e.target as HTMLSelectElement).value as "code" | "category")}>
          <option value="code">Code</option>
          <option value="category">Category</option>
        </select>
        <label class="sr-only" for="new-code-parent">
          In category
        </label>
        <select id="new-code-parent" value={parent} onChange={(e) => setParent((e.target as HTMLSelectElement).value)}>
          <option value="">Top level</option>
          {categories.map((c) => (
            <option value={c.id} key={c.id}>
              in {c.name}
            </option>
          ))}
        </select>
        <button type="submit" disabled={create.busy}>
          Create
        </button>
      </div>
      <ErrorText action={create} />
    </form>
  );
}

function CodePanel({ node, all, memo }: { readonly node: TreeNode; readonly all: ReadonlyArray<TreeNode>; readonly memo: string }) {
  const [name, setName] = useState(node.name);
  const [into, setInto] = useState("");
  const act = useAction();
  const path = `/api/codes/${node.type}/${node.id}`;
  const categories = all.filter((n) => n.type === "category" && n.id !== node.id);
  const otherCodes = all.filter((n) => n.type === "code" && n.id !== node.id);
  return (
    <div aria-labelledby="panel-title">
      <h3 id="panel-title">
        {node.type === "category" ? "Category" : "Code"}: {node.name}
      </h3>
      <p class="hint">{node.segments} coded segments</p>
      <form
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          void act.run(() => api("PATCH", path, { name }));
        }}
      >
        <label for="rename">Name</label>
        <input id="rename" value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
        <button type="submit">Rename</button>
      </form>
      <div class="row">
        <label for="recolour">Colour</label>
        <input
          id="recolour"
          type="color"
          value={node.color ?? "#888888"}
          onChange={(e) => void act.run(() => api("PATCH", path, { color: (e.target as HTMLInputElement).value }))}
        />
      </div>
      <div class="row">
        <label for="move-to">Move to</label>
        <select
          id="move-to"
          value=""
          onChange={(e) => {
            const to = (e.target as HTMLSelectElement).value;
            void act.run(() => api("PATCH", path, { parent: to === "top" ? null : to }));
          }}
        >
          <option value="" disabled>
            Choose…
          </option>
          <option value="top">Top level</option>
          {categories.map((c) => (
            <option value={c.id} key={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </div>
      {node.type === "code" && (
        <form
          class="row"
          onSubmit={(e) => {
            e.preventDefault();
            void act.run(() => api("POST", `/api/codes/code/${node.id}/merge`, { into }));
          }}
        >
          <label for="merge-into">Merge into</label>
          <select id="merge-into" value={into} onChange={(e) => setInto((e.target as HTMLSelectElement).value)}>
            <option value="">Choose a code…</option>
            {otherCodes.map((c) => (
              <option value={c.id} key={c.id}>
                {c.name}
              </option>
            ))}
          </select>
          <button type="submit" disabled={into === ""}>
            Merge
          </button>
        </form>
      )}
      <button type="button" class="danger" onClick={() => void act.run(() => api("DELETE", path))}>
        Delete {node.type}
      </button>
      <ErrorText action={act} />
      <MemoEditor type={node.type} id={node.id} memo={memo} label={`Memo on ${node.name}`} />
      <Blame type={node.type} id={node.id} />
    </div>
  );
}

function Deleted({ items }: { readonly items: CodesData["deleted"] }) {
  const restore = useAction();
  return (
    <details class="deleted">
      <summary>Deleted ({items.length})</summary>
      <ul>
        {items.map((i) => (
          <li key={i.id}>
            {i.name} ({i.type}){" "}
            <button type="button" onClick={() => void restore.run(() => api("POST", `/api/codes/${i.type}/${i.id}/restore`))}>
              Restore {i.name}
            </button>
          </li>
        ))}
      </ul>
      <ErrorText action={restore} />
    </details>
  );
}
