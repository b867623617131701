/** Prints a code or source tree: one node a line, indented by depth, with its segment count. */
import type { TreeNode } from "@qc/core";
import type { Io } from "./io.js";

export function printTree(nodes: ReadonlyArray<TreeNode>, io: Io, depth = 0): void {
  for (const node of nodes) {
    const color = node.color === undefined ? "" : ` ${node.color}`;
    const label = node.type === "category" || node.type === "folder" ? io.color.bold(node.name) : node.name;
    io.out(`${"  ".repeat(depth)}${label}${color}  ${node.segments} segment${node.segments === 1 ? "" : "s"}  ${io.color.dim(node.id)}`);
    printTree(node.children, io, depth + 1);
  }
}
