/**
 * Test child: makes N edits on a project file through the project service,
 * one transaction each, as fast as it can (another process writes at once).
 * argv: file, label, count, start (epoch ms: both children begin at that
 * moment, so their writes interleave). Prints "done" when every edit committed.
 */
import { openProject } from "../../src/project/index.js";

const [file, label, count, start] = process.argv.slice(2) as [string, string, string, string];
const project = openProject(file, {});
while (Date.now() < Number(start)) await new Promise((resolve) => setTimeout(resolve, 1));
for (let i = 0; i < Number(count); i++) project.replica.commands.createCode({ name: `${label} ${i}`, color: "#224466" });
await project.close();
process.stdout.write("done\n");
