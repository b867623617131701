/**
 * Audit and replay: `qc log`, `qc blame TYPE ENTITY`, `qc state-at TIME`,
 * `qc conflicts`, `qc resolve CONFLICT`, `qc verify`, `qc quarantine`.
 */
import { CommandError, ENTITY_TYPES, type EntityType } from "@qc/core";
import type { Command } from "commander";
import * as Audit from "../../project/audit.js";
import { receiptText } from "../../project/receipt-text.js";
import type { Io } from "../io.js";
import { withProject, withProjectOption, type ProjectOptions } from "../project-option.js";
import { printTree } from "../tree-output.js";

type Json = ProjectOptions & { json?: boolean };

const receipt = receiptText;

export function registerAuditCommands(program: Command, io: Io): void {
  withProjectOption(program.command("log").description("the history: who changed what, when (oldest first)"))
    .option("--entity <type:entity>", "only ops on this entity, e.g. code:Hope")
    .option("--actor <name>", "only this researcher's ops")
    .option("--since <time>", "from this ISO time or HLC")
    .option("--until <time>", "up to this ISO time or HLC")
    .option("--json", "print as JSON")
    .action((options: Json & { entity?: string; actor?: string; since?: string; until?: string }) =>
      withProject(options, io, ({ replica }) => {
        const entries = Audit.readLog(replica, {
          ...(options.entity === undefined ? {} : { entity: entityOption(options.entity) }),
          ...(options.actor === undefined ? {} : { actor: options.actor }),
          ...(options.since === undefined ? {} : { since: options.since }),
          ...(options.until === undefined ? {} : { until: options.until }),
        });
        if (options.json === true) return io.json(entries);
        for (const e of entries) {
          const undo = e.undoes === undefined ? "" : ` (undo of ${e.undoes})`;
          io.out(`${e.id}  ${e.actor}  ${e.kind} ${e.target.type} ${e.target.id}  ${JSON.stringify(e.body)}${undo}  ${receipt(e)}`);
        }
      }),
    );
  withProjectOption(program.command("blame").argument("<type>").argument("<entity>").description("which op set each field of an entity"))
    .option("--json", "print as JSON")
    .action((type: string, ref: string, options: Json) =>
      withProject(options, io, ({ replica }) => {
        const blame = Audit.blameEntity(replica, entityType(type), ref);
        if (options.json === true) return io.json(blame);
        for (const [field, ops] of Object.entries(blame.fields))
          for (const op of ops) io.out(`${field}  ${op.actor}  ${op.kind}  ${op.opId}  written ${op.authoredAt}  ${receipt(op)}`);
      }),
    );
  withProjectOption(
    program
      .command("state-at")
      .argument("<time>", "an ISO time or an HLC")
      .description("the code tree and segment counts as they were then"),
  )
    .option("--json", "print the whole state then as JSON")
    .action((time: string, options: Json) =>
      withProject(options, io, ({ replica }) => {
        const past = Audit.stateAt(replica, time, { state: options.json === true });
        if (options.json === true) return io.json(past);
        io.err(`as of ${time}:`);
        if (past.codes.length === 0) io.err("no codes or categories then");
        printTree(past.codes, io);
      }),
    );
  withProjectOption(program.command("conflicts").description("open conflicts (the same on every replica)"))
    .option("--all", "include resolved ones")
    .option("--json", "print as JSON")
    .action((options: Json & { all?: boolean }) =>
      withProject(options, io, ({ replica }) => {
        const conflicts = Audit.listConflicts(replica, options.all === true);
        if (options.json === true) return io.json(conflicts);
        for (const c of conflicts)
          io.out(`${c.id}  ${c.kind}  ${c.type} ${c.entity}${c.resolved ? "  (resolved)" : ""}  ${JSON.stringify(c.detail)}`);
        io.err(`${conflicts.length} conflict${conflicts.length === 1 ? "" : "s"}`);
      }),
    );
  withProjectOption(
    program.command("resolve").argument("<conflict>").description("mark a conflict as seen and settled (on every replica)"),
  ).action((conflict: string, options: ProjectOptions) =>
    withProject(options, io, ({ replica }) => {
      Audit.resolveConflict(replica, conflict);
      io.err(`resolved ${conflict}`);
    }),
  );
  withProjectOption(program.command("verify").description("check the tables against a rebuild from the log"))
    .option("--json", "print as JSON")
    .action((options: Json) =>
      withProject(options, io, ({ replica }) => {
        const result = Audit.verify(replica);
        if (options.json === true) io.json(result);
        else if (result.ok) io.out("ok: the project's tables equal a rebuild from its history");
        // A mismatch is a defect in qc, not bad input: exit 1 (error-table.ts).
        if (!result.ok)
          throw new Error(
            `the project's tables differ from a rebuild from its history (nothing is lost: the history is intact):\n${result.diff ?? ""}`,
          );
      }),
    );
  withProjectOption(program.command("quarantine").description("ops received but not applied, with the reason"))
    .option("--json", "print as JSON")
    .action((options: Json) =>
      withProject(options, io, ({ replica }) => {
        const entries = Audit.quarantine(replica);
        if (options.json === true) return io.json(entries);
        for (const q of entries) io.out(`${q.id ?? "(no id)"}  ${q.reason}  ${q.detail}`);
        io.err(`${entries.length} op${entries.length === 1 ? "" : "s"} in quarantine`);
      }),
    );
}

function entityType(type: string): EntityType {
  if ((ENTITY_TYPES as ReadonlyArray<string>).includes(type)) return type as EntityType;
  throw new CommandError({
    reason: "invalid-value",
    message: `${JSON.stringify(type)} is not an entity type; use one of ${ENTITY_TYPES.join(", ")}`,
  });
}

function entityOption(value: string): { type: EntityType; ref: string } {
  const at = value.indexOf(":");
  if (at < 0)
    throw new CommandError({
      reason: "invalid-value",
      message: `give --entity as TYPE:ENTITY, e.g. code:Hope; got ${JSON.stringify(value)}`,
    });
  return { type: entityType(value.slice(0, at)), ref: value.slice(at + 1) };
}
