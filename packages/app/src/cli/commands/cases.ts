/**
 * `qc cases`, `qc case add NAME`, `qc case link|unlink CASE SOURCE`,
 * `qc attributes`, `qc attribute add NAME --type T --applies-to case|source`,
 * `qc attribute set ATTRIBUTE CASE_OR_SOURCE VALUE` ("" clears it).
 */
import type { Command } from "commander";
import * as Cases from "../../project/research/cases.js";
import type { Io } from "../io.js";
import { withProject, withProjectOption, type ProjectOptions } from "../project-option.js";

type Json = ProjectOptions & { json?: boolean };

export function registerCaseCommands(program: Command, io: Io): void {
  withProjectOption(program.command("cases").description("cases with their linked sources and attribute values"))
    .option("--json", "print as JSON")
    .action((options: Json) =>
      withProject(options, io, ({ replica }) => {
        const cases = Cases.listCases(replica);
        if (options.json === true) return io.json(cases);
        for (const c of cases) io.out(`${c.name}  ${c.sources.length} sources  ${JSON.stringify(c.attributes)}  ${io.color.dim(c.id)}`);
      }),
    );
  const kase = program.command("case").description("add a case, link or unlink a source");
  withProjectOption(kase.command("add").argument("<name>").description("add a case")).action((name: string, options: ProjectOptions) =>
    withProject(options, io, ({ replica }) => {
      io.out(Cases.addCase(replica, name));
      io.err(`added case "${name.trim()}"`);
    }),
  );
  for (const verb of ["link", "unlink"] as const) {
    withProjectOption(kase.command(verb).argument("<case>").argument("<source>").description(`${verb} a source to a case`)).action(
      (caseRef: string, source: string, options: ProjectOptions) =>
        withProject(options, io, ({ replica }) => {
          Cases.linkSource(replica, caseRef, source, verb === "link");
          io.err(`${verb}ed`);
        }),
    );
  }
  withProjectOption(program.command("attributes").description("the attributes of cases and sources"))
    .option("--json", "print as JSON")
    .action((options: Json) =>
      withProject(options, io, ({ replica }) => {
        const attributes = Cases.listAttributes(replica);
        if (options.json === true) return io.json(attributes);
        for (const a of attributes) io.out(`${a.name}  ${String(a.valueType)} of a ${String(a.appliesTo)}  ${io.color.dim(a.id)}`);
      }),
    );
  const attribute = program.command("attribute").description("add an attribute, or set its value on a case or source");
  withProjectOption(attribute.command("add").argument("<name>").description("add an attribute"))
    .requiredOption("--type <type>", "text, number, date or boolean")
    .requiredOption("--applies-to <what>", "case or source")
    .action((name: string, options: ProjectOptions & { type: string; appliesTo: string }) =>
      withProject(options, io, ({ replica }) =>
        io.out(Cases.addAttribute(replica, { name, valueType: options.type, appliesTo: options.appliesTo })),
      ),
    );
  withProjectOption(
    attribute
      .command("set")
      .argument("<attribute>")
      .argument("<target>", "the case or source")
      .argument("<value>", 'the value ("" clears it)'),
  ).action((name: string, target: string, value: string, options: ProjectOptions) =>
    withProject(options, io, ({ replica }) => Cases.setAttribute(replica, name, target, value)),
  );
}
