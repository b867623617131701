/**
 * User-level defaults in $XDG_CONFIG_HOME/qc/config.json (~/.config/qc):
 * the researcher's name, used when `qc init` or `qc join` gets no --actor.
 * Never a token: tokens belong to one project file.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

export interface UserConfig {
  readonly researcher?: string;
}

export interface ConfigEnvironment {
  readonly XDG_CONFIG_HOME?: string | undefined;
  readonly HOME?: string | undefined;
}

export function configDir(env: ConfigEnvironment): string {
  const base =
    env.XDG_CONFIG_HOME !== undefined && env.XDG_CONFIG_HOME !== "" ? env.XDG_CONFIG_HOME : join(env.HOME ?? homedir(), ".config");
  return join(base, "qc");
}

export function readUserConfig(env: ConfigEnvironment): UserConfig {
  try {
    const parsed = JSON.parse(readFileSync(join(configDir(env), "config.json"), "utf8")) as unknown;
    if (typeof parsed !== "object" || parsed === null) return {};
    const researcher = (parsed as { researcher?: unknown }).researcher;
    return typeof researcher === "string" && researcher.trim() !== "" ? { researcher } : {};
  } catch {
    return {}; // no config yet, or unreadable: defaults are only a convenience
  }
}

export function writeUserConfig(env: ConfigEnvironment, config: UserConfig): void {
  const dir = configDir(env);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "config.json"), `${JSON.stringify({ researcher: config.researcher }, null, 2)}\n`);
}
