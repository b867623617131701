/**
 * `qc sync [--once] [--json]`: runs the engine in the foreground with a
 * live status line on stderr (`--json`: one status object a line on stdout)
 * until SIGINT/SIGTERM; `--once` returns when the outbox is empty and the
 * file has pulled to the server head, or fails with the reason.
 * `qc status [--json] [--watch]`: the status now (or as it changes).
 */
import type { Command } from "commander";
import { appError, keepMaintained, statusLine, type Project, type StatusView } from "../../project/index.js";
import type { Io } from "../io.js";
import { withProject, withProjectOption, type ProjectOptions } from "../project-option.js";

/** How long `qc status` lets a fresh engine settle before it reports. */
const SETTLE_MS = 8_000;

export function registerSyncCommands(program: Command, io: Io): void {
  withProjectOption(program.command("sync").description("sync this project file with the team (foreground; Ctrl-C stops)"))
    .option("--once", "sync until up to date, then exit")
    .option("--offline-timeout <seconds>", "with --once: give up after this long offline", "15")
    .option("--json", "print each status as a JSON line")
    .action((options: ProjectOptions & { once?: boolean; json?: boolean; offlineTimeout: string }) =>
      withProject(options, io, async (project) => {
        requireSyncable(project);
        const sync = project.startSync();
        const show = (view: StatusView) => (options.json === true ? io.json(view) : io.statusLine(statusLine(view)));
        const unsubscribe = sync.subscribe(() => show(project.status()!));
        // Only the foreground run lives long enough to fall idle; --once ends when caught up.
        const stopMaintaining =
          options.once === true
            ? () => undefined
            : keepMaintained(project.replica, { onError: (e) => io.err(`qc sync: idle maintenance failed: ${String(e)}`) });
        try {
          if (options.once === true) await sync.syncOnce(seconds(options.offlineTimeout) * 1000);
          else await untilSignal();
        } finally {
          stopMaintaining();
          unsubscribe();
          if (options.json !== true && io.errIsTty) io.err("");
        }
        if (options.json !== true) io.err(statusLine(project.status()!));
      }),
    );

  withProjectOption(program.command("status").description("sync status: state, ops to push, last synced"))
    .option("--json", "print as JSON")
    .option("--watch", "keep printing the status as it changes (Ctrl-C stops)")
    .action((options: ProjectOptions & { json?: boolean; watch?: boolean }) =>
      withProject(options, io, async (project) => {
        const print = (view: StatusView) => (options.json === true ? io.json(view) : io.out(statusLine(view)));
        if (options.watch === true) return watchStatus(project, print);
        print(project.status() ?? (await settledStatus(project)));
      }),
    );
}

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw appError("invalid-argument", `--offline-timeout takes a number of seconds, not ${JSON.stringify(value)}`);
  return n;
}

function requireSyncable(project: Project): void {
  const settings = project.settings();
  if (!settings.cloudSyncEnabled) throw appError("not-configured", "cloud sync is off for this file; run `qc settings set cloud-sync on`");
  if (project.settingsView().convexUrl === null)
    throw appError("not-configured", "no sync server is set; run `qc settings set convex-url URL`");
  if (settings.token === undefined)
    throw appError("no-team", "this project is not on a sync server yet; run `qc team create` (or join with an invite)");
}

/** Nobody syncs this file: run the engine here until it settles (synced, offline or error), then report. */
async function settledStatus(project: Project): Promise<StatusView> {
  const sync = project.startSync();
  await new Promise<void>((resolve) => {
    const timer = setTimeout(done, SETTLE_MS);
    const unsubscribe = sync.subscribe((s) => {
      if (s.state === "synced" || s.state === "error" || s.state === "offline" || s.state === "disabled") queueMicrotask(done);
    });
    let finished = false;
    function done() {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      unsubscribe();
      resolve();
    }
  });
  return project.status()!;
}

async function watchStatus(project: Project, print: (view: StatusView) => void): Promise<void> {
  const current = project.status();
  if (current !== undefined && current.syncedBy !== "this process" && current.syncedBy !== "nobody") {
    // Another process syncs: follow what it publishes.
    let last = "";
    const timer = setInterval(() => {
      const view = project.status();
      const key = JSON.stringify(view);
      if (view !== undefined && key !== last) print(view);
      last = key;
    }, 500);
    await untilSignal();
    clearInterval(timer);
    return;
  }
  const sync = project.startSync();
  const unsubscribe = sync.subscribe(() => print(project.status()!));
  await untilSignal();
  unsubscribe();
}

/** Until Ctrl-C or SIGTERM; keeps the process alive meanwhile (with sync off nothing else would). */
export function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const keepAlive = setInterval(() => undefined, 60_000);
    const stop = () => {
      clearInterval(keepAlive);
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}
