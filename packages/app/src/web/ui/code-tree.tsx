/**
 * The tree of categories and codes, with colours and segment counts, as a
 * keyboard-usable list (each row a button; arrow keys move between rows).
 * Rows can be dragged onto a category (or the top level) to move them;
 * the same move is in the code's panel as a menu, for the keyboard.
 */
import type { ComponentChildren } from "preact";

export interface TreeNode {
  readonly type: "code" | "category";
  readonly id: string;
  readonly name: string;
  readonly color?: string;
  readonly segments: number;
  readonly children: ReadonlyArray<TreeNode>;
}

export interface TreeProps {
  readonly nodes: ReadonlyArray<TreeNode>;
  readonly filter: string;
  readonly selected?: string | undefined;
  readonly onSelect?: (node: TreeNode) => void;
  readonly onMove?: (node: { type: string; id: string }, parent: string | null) => void;
}

/** Nodes that match the filter or have a descendant that does. */
export function filterTree(nodes: ReadonlyArray<TreeNode>, filter: string): ReadonlyArray<TreeNode> {
  const needle = filter.trim().toLowerCase();
  if (needle === "") return nodes;
  return nodes.flatMap((n) => {
    const children = filterTree(n.children, filter);
    return n.name.toLowerCase().includes(needle) || children.length > 0 ? [{ ...n, children }] : [];
  });
}

export function flatten(nodes: ReadonlyArray<TreeNode>): ReadonlyArray<TreeNode> {
  return nodes.flatMap((n) => [n, ...flatten(n.children)]);
}

const DRAG_TYPE = "application/x-qc-node";

export function CodeTree(props: TreeProps) {
  const shown = filterTree(props.nodes, props.filter);
  const dropOn = (parent: string | null) => ({
    onDragOver: (e: DragEvent) => {
      if (e.dataTransfer?.types.includes(DRAG_TYPE) === true) e.preventDefault();
    },
    onDrop: (e: DragEvent) => {
      const raw = e.dataTransfer?.getData(DRAG_TYPE);
      if (raw === undefined || raw === "") return;
      e.preventDefault();
      e.stopPropagation();
      const node = JSON.parse(raw) as { type: string; id: string };
      if (node.id !== parent) props.onMove?.(node, parent);
    },
  });
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
    const rows = [...(e.currentTarget as HTMLElement).querySelectorAll<HTMLButtonElement>("button.node")];
    const at = rows.indexOf(document.activeElement as HTMLButtonElement);
    rows[Math.max(0, Math.min(rows.length - 1, at + (e.key === "ArrowDown" ? 1 : -1)))]?.focus();
    e.preventDefault();
  };
  const render = (nodes: ReadonlyArray<TreeNode>): ComponentChildren =>
    nodes.map((n) => (
      <li
        key={n.id}
        role="treeitem"
        aria-selected={props.selected === n.id}
        aria-expanded={n.type === "category" ? true : undefined}
        {...(n.type === "category" ? dropOn(n.id) : {})}
      >
        <button
          type="button"
          class={`node node-${n.type}`}
          draggable={props.onMove !== undefined}
          data-id={n.id}
          data-name={n.name}
          onDragStart={(e) => e.dataTransfer?.setData(DRAG_TYPE, JSON.stringify({ type: n.type, id: n.id }))}
          onClick={() => props.onSelect?.(n)}
        >
          <span class="swatch" style={{ background: n.color ?? "transparent" }} aria-hidden="true" />
          <span class="node-name">{n.type === "category" ? `${n.name}/` : n.name}</span>
          <span class="count" aria-label={`${n.segments} coded segments`}>
            {n.segments}
          </span>
        </button>
        {n.children.length > 0 && <ul role="group">{render(n.children)}</ul>}
      </li>
    ));
  if (shown.length === 0)
    return (
      <p class="empty">
        {props.filter.trim() === "" ? "No codes yet. Create the first one above." : `No code or category matches “${props.filter}”.`}
      </p>
    );
  return (
    <div class="tree-drop" {...dropOn(null)}>
      <ul class="tree" role="tree" aria-label="Codes and categories" onKeyDown={onKeyDown}>
        {render(shown)}
      </ul>
      {props.onMove !== undefined && <p class="hint">Drag a code onto a category to move it; drop it here to move it to the top level.</p>}
    </div>
  );
}
