/**
 * Invite strings: what an owner hands a new member, holding the deployment
 * URL, the project id, the member's actor name and token. `qc1.` + base64url
 * JSON, so it survives copy-paste in chat. It IS a secret (it holds the
 * token): printed once by `qc team invite`, never stored or logged.
 */
import { appError } from "./errors.js";

export interface Invite {
  readonly url: string;
  readonly project: string;
  readonly actor: string;
  readonly token: string;
}

const PREFIX = "qc1.";

export function encodeInvite(invite: Invite): string {
  return PREFIX + Buffer.from(JSON.stringify({ v: 1, ...invite })).toString("base64url");
}

export function decodeInvite(text: string): Invite {
  const raw = text.trim();
  if (!raw.startsWith(PREFIX)) throw badInvite("it does not start with qc1.");
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw.slice(PREFIX.length), "base64url").toString("utf8"));
  } catch {
    throw badInvite("it is damaged (copy it again, whole)");
  }
  const fields = parsed as Partial<Record<keyof Invite, unknown>>;
  const { url, project, actor, token } = fields;
  if (typeof url !== "string" || typeof project !== "string" || typeof actor !== "string" || typeof token !== "string") {
    throw badInvite("it lacks the server URL, project, member or token");
  }
  return { url, project, actor, token };
}

function badInvite(why: string) {
  return appError("invalid-invite", `this is not a qc invite: ${why}; ask the project owner for a new one (\`qc team invite NAME\`)`);
}
