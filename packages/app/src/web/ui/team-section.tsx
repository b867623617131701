/**
 * Settings › Team: share the project (create the team; you become its
 * owner), and then the members as the sync server lists them, with invite
 * (the invite is shown once, right here, and kept nowhere) and revoke for
 * the owner; and a place to paste an invite made for this file: before the
 * team (you were invited), or for a member, a new one after their access
 * was revoked (the one owner cannot be revoked, so the owner does not need
 * it). Every refusal is shown beside the control that asked.
 */
import { useEffect, useState } from "preact/hooks";
import { api, ApiError, get } from "./api";
import { ErrorText, useAction, type Action } from "./action";

interface Member {
  readonly actor: string;
  readonly role: "owner" | "editor" | "viewer";
  readonly revoked: boolean;
}

interface Team {
  readonly me: string;
  readonly members: ReadonlyArray<Member>;
}

interface NewInvite {
  readonly actor: string;
  readonly role: "editor" | "viewer";
  readonly invite: string;
}

const ROLE_WORDS: Record<Member["role"], string> = {
  owner: "Owner (edits, invites, revokes)",
  editor: "Editor (edits)",
  viewer: "Viewer (sees every edit, cannot edit)",
};

export function TeamSection({ hasTeam, onChange }: { readonly hasTeam: boolean; readonly onChange: () => void }) {
  // A used invite may change who this file is in the team: ask the server again.
  const [round, setRound] = useState(0);
  const [joined, setJoined] = useState<string | undefined>(undefined);
  const onInviteUsed = (actor: string) => {
    setJoined(actor);
    setRound((r) => r + 1);
    onChange();
  };
  return (
    <section class="team" aria-labelledby="team-title">
      <h3 id="team-title">Team</h3>
      {joined !== undefined && (
        <p class="ok" role="status">
          Done: this file now syncs with the team as {joined}.
        </p>
      )}
      {hasTeam ? (
        <Members key={round} onInviteUsed={onInviteUsed} />
      ) : (
        <>
          <CreateTeam onCreated={onChange} />
          <UseInvite hasTeam={false} onUsed={onInviteUsed} />
        </>
      )}
    </section>
  );
}

function CreateTeam({ onCreated }: { readonly onCreated: () => void }) {
  const create = useAction();
  const [needsKey, setNeedsKey] = useState(false);
  const [key, setKey] = useState("");
  const onCreate = () =>
    void create
      .run(async () => {
        try {
          await api("POST", "/api/team", key.trim() === "" ? {} : { creationKey: key });
        } catch (e) {
          // The deployment refuses "forbidden" only for its project-creation key: ask for it.
          if (e instanceof ApiError && e.reason === "forbidden") setNeedsKey(true);
          throw e;
        }
      })
      .then((ok) => ok && onCreated());
  return (
    <>
      <p>
        This project is only on this computer so far. Create the team to share it through the sync server: you become its owner and can then
        invite colleagues.
      </p>
      {needsKey && (
        <div class="field">
          <label for="creation-key">Project-creation key</label>
          <input
            id="creation-key"
            type="password"
            autocomplete="off"
            value={key}
            onInput={(e) => setKey((e.target as HTMLInputElement).value)}
          />
          <p class="hint">The deployment's administrator gives it out. It is sent once and not kept.</p>
        </div>
      )}
      <div class="row">
        <button
          type="button"
          class="primary"
          disabled={create.busy}
          onClick={onCreate}
          aria-describedby={create.error !== undefined ? "team-create-error" : undefined}
        >
          {create.busy ? "Creating the team…" : "Create team"}
        </button>
      </div>
      <ErrorText action={create} id="team-create-error" />
    </>
  );
}

function Members({ onInviteUsed }: { readonly onInviteUsed: (actor: string) => void }) {
  const [team, setTeam] = useState<Team | undefined>(undefined);
  const [nonce, setNonce] = useState(0);
  const load = useAction();
  const [invite, setInvite] = useState<NewInvite | undefined>(undefined);
  useEffect(() => {
    let current = true;
    void load.run(async () => {
      const answer = await get<Team>("/api/team/members").catch((e: unknown) => {
        if (!(e instanceof ApiError && e.reason === "token-refused")) throw e;
        throw new ApiError(
          e.reason,
          "The sync server no longer accepts this computer: the owner revoked your access (or invited you again). Ask them for a new invite and paste it below. Your work stays in this file.",
        );
      });
      if (current) setTeam(answer);
    });
    return () => {
      current = false;
    };
  }, [nonce]);
  const reload = () => setNonce((n) => n + 1);
  if (team === undefined) {
    return load.error === undefined ? (
      <p>Asking the sync server who is in the team…</p>
    ) : (
      <>
        <ErrorText action={load} />
        <button type="button" onClick={reload}>
          Try again
        </button>
        <UseInvite hasTeam onUsed={onInviteUsed} />
      </>
    );
  }
  const mine = team.members.find((m) => m.actor === team.me);
  const owner = mine?.role === "owner" && !mine.revoked;
  return (
    <>
      <p>
        This computer works in the team as <strong>{team.me}</strong>
        {mine === undefined ? "" : mine.revoked ? ", whose access was revoked" : `, ${mine.role}`}.
      </p>
      <table class="members" aria-label="Team members">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Role</th>
            <th scope="col">Access</th>
            <th scope="col">
              <span class="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {team.members.map((m) => (
            <MemberRow key={m.actor} member={m} isMe={m.actor === team.me} canRevoke={owner} onRevoked={reload} />
          ))}
        </tbody>
      </table>
      <ErrorText action={load} />
      {owner ? (
        <InviteForm
          onInvited={(made) => {
            setInvite(made);
            reload();
          }}
        />
      ) : (
        <p class="hint">Only the project's owner can invite colleagues or revoke access.</p>
      )}
      {invite !== undefined && <InviteOnce invite={invite} onDone={() => setInvite(undefined)} />}
      {!owner && <UseInvite hasTeam onUsed={onInviteUsed} />}
    </>
  );
}

function MemberRow(props: {
  readonly member: Member;
  readonly isMe: boolean;
  readonly canRevoke: boolean;
  readonly onRevoked: () => void;
}) {
  const { member, isMe } = props;
  const revoke = useAction();
  const [confirming, setConfirming] = useState(false);
  const onRevoke = () =>
    void revoke
      .run(() => api("DELETE", `/api/team/members/${encodeURIComponent(member.actor)}`))
      .then((ok) => {
        setConfirming(false);
        if (ok) props.onRevoked();
      });
  return (
    <>
      <tr data-member={member.actor}>
        <td>
          {member.actor}
          {isMe && " (you)"}
        </td>
        <td>{ROLE_WORDS[member.role]}</td>
        <td>{member.revoked ? "Revoked" : "Active"}</td>
        <td>
          {props.canRevoke && !isMe && !member.revoked && !confirming && (
            <button type="button" class="danger" onClick={() => setConfirming(true)} aria-label={`Revoke ${member.actor}'s access`}>
              Revoke…
            </button>
          )}
        </td>
      </tr>
      {(confirming || revoke.error !== undefined) && (
        <tr class="member-confirm">
          <td colSpan={4}>
            {confirming && (
              <div role="group" aria-label={`Confirm revoking ${member.actor}`}>
                <p>
                  Revoke {member.actor}’s access? {member.actor} can no longer send or receive the project’s edits: the server refuses their
                  token from now on. Their own file keeps what it has.
                </p>
                <div class="row">
                  <button type="button" class="danger" disabled={revoke.busy} onClick={onRevoke}>
                    Revoke access
                  </button>
                  <button type="button" onClick={() => setConfirming(false)}>
                    Cancel
                  </button>
                </div>
              </div>
            )}
            <ErrorText action={revoke} />
          </td>
        </tr>
      )}
    </>
  );
}

function InviteForm({ onInvited }: { readonly onInvited: (invite: NewInvite) => void }) {
  const [name, setName] = useState("");
  const [role, setRole] = useState<"editor" | "viewer">("editor");
  const invite = useAction();
  const onSubmit = (e: Event) => {
    e.preventDefault();
    void invite.run(async () => {
      onInvited(await api<NewInvite>("POST", "/api/team/members", { name, role }));
      setName("");
    });
  };
  return (
    <form class="invite-form" onSubmit={onSubmit}>
      <h4>Invite a colleague</h4>
      <div class="row invite-fields">
        <div class="field">
          <label for="invite-name">Colleague's name</label>
          <input
            id="invite-name"
            value={name}
            placeholder="e.g. Ben Okafor"
            aria-invalid={invite.error !== undefined}
            aria-describedby={invite.error !== undefined ? "invite-error" : undefined}
            onInput={(e) => {
              setName((e.target as HTMLInputElement).value);
              invite.clear();
            }}
          />
        </div>
        <div class="field">
          <label for="invite-role">Role</label>
          <select id="invite-role" value={role} onChange={(e) => setRole((e.target as HTMLSelectElement).value as "editor" | "viewer")}>
            <option value="editor">Editor: can edit</option>
            <option value="viewer">Viewer: sees every edit, cannot edit</option>
          </select>
        </div>
        <button type="submit" disabled={invite.busy}>
          Create invite
        </button>
      </div>
      <ErrorText action={invite} id="invite-error" />
    </form>
  );
}

function InviteOnce({ invite, onDone }: { readonly invite: NewInvite; readonly onDone: () => void }) {
  const copy = useAction();
  const [copied, setCopied] = useState(false);
  return (
    <div class="invite-once" role="region" aria-labelledby="invite-once-title">
      <h4 id="invite-once-title">
        Invite for {invite.actor} ({invite.role})
      </h4>
      <p>
        Send it to {invite.actor} privately: whoever has it can work in the project as {invite.actor}. It is shown only now; if it gets
        lost, revoke {invite.actor} and invite again.
      </p>
      <textarea
        readOnly
        rows={4}
        aria-label={`Invite for ${invite.actor}`}
        value={invite.invite}
        onFocus={(e) => (e.target as HTMLTextAreaElement).select()}
      />
      <p class="hint">
        On their computer, {invite.actor} makes a project file from it with <code>qc join INVITE FILE --actor "{invite.actor}"</code> and
        opens it with <code>qc serve -p FILE</code>.
      </p>
      <div class="row">
        <button type="button" onClick={() => void copy.run(() => navigator.clipboard.writeText(invite.invite)).then(setCopied)}>
          Copy invite
        </button>
        {copied && (
          <span class="ok" role="status">
            Copied.
          </span>
        )}
        <button type="button" onClick={onDone}>
          Done: hide the invite
        </button>
      </div>
      <CopyError action={copy} />
    </div>
  );
}

function CopyError({ action }: { readonly action: Action }) {
  if (action.error === undefined) return null;
  return (
    <p class="error" role="alert">
      The browser did not let qc copy it: select the invite above and copy it yourself.
    </p>
  );
}

function UseInvite({ hasTeam, onUsed }: { readonly hasTeam: boolean; readonly onUsed: (actor: string) => void }) {
  const [text, setText] = useState("");
  const use = useAction();
  const onUse = () =>
    void use.run(async () => {
      const { actor } = await api<{ actor: string }>("POST", "/api/team/invite", { invite: text });
      setText("");
      onUsed(actor);
    });
  return (
    <div class="use-invite">
      <h4>{hasTeam ? "Use a new invite" : "Or join with an invite"}</h4>
      <p class="hint">
        {hasTeam
          ? "If the owner revoked your access and sent you a new invite, paste it here to sync again."
          : "If a colleague invited you to this project, paste the invite they sent (it starts with qc1.)."}
      </p>
      <label for="invite">Invite</label>
      <textarea
        id="invite"
        rows={2}
        value={text}
        placeholder="qc1.…"
        aria-describedby={use.error !== undefined ? "use-invite-error" : undefined}
        onInput={(e) => {
          setText((e.target as HTMLTextAreaElement).value);
          use.clear();
        }}
      />
      <div class="row">
        <button type="button" disabled={use.busy || text.trim() === ""} onClick={onUse}>
          {hasTeam ? "Use this invite" : "Join with this invite"}
        </button>
      </div>
      <ErrorText action={use} id="use-invite-error" />
    </div>
  );
}
