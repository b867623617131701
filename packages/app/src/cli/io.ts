/**
 * Terminal output rules for every command: data to stdout, messages and
 * progress to stderr; colour only when that stream is a TTY and NO_COLOR is
 * not set; `--json` prints one JSON document (or one per line for streams).
 */
import pc from "picocolors";

type Colors = ReturnType<typeof pc.createColors>;

export interface Io {
  /** Data (what --json replaces). */
  readonly out: (text: string) => void;
  /** Messages, hints, progress. */
  readonly err: (text: string) => void;
  readonly json: (value: unknown) => void;
  /** Rewrites the last stderr line in place (TTY only; otherwise prints a line). */
  readonly statusLine: (text: string) => void;
  readonly errIsTty: boolean;
  readonly color: Colors;
  readonly env: NodeJS.ProcessEnv;
}

export function makeIo(env: NodeJS.ProcessEnv = process.env): Io {
  const errIsTty = process.stderr.isTTY === true;
  const noColor = env["NO_COLOR"] !== undefined && env["NO_COLOR"] !== "";
  const color = pc.createColors(errIsTty && !noColor);
  return {
    out: (text) => void process.stdout.write(`${text}\n`),
    err: (text) => void process.stderr.write(`${text}\n`),
    json: (value) => void process.stdout.write(`${JSON.stringify(value)}\n`),
    statusLine: (text) => void process.stderr.write(errIsTty ? `\r\x1b[2K${text}` : `${text}\n`),
    errIsTty,
    color,
    env,
  };
}
