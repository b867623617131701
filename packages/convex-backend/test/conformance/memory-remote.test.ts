/**
 * Conformance of core's in-memory remote (`@qc/core/testing`), one
 * MemoryRemote server per project; the outage takes every client's
 * connection down and up again.
 */
import { makeMemoryRemote, type MemoryClient, type MemoryMember, type MemoryRemote } from "@qc/core/testing";
import { runRemoteConformance, type ConformanceHarness } from "@qc/convex-backend/conformance";

async function makeMemoryHarness(): Promise<ConformanceHarness> {
  const servers = new Map<string, { server: MemoryRemote; members: Record<string, MemoryMember> }>();
  const clients: MemoryClient[] = [];
  const serverOf = (project: string) => {
    const entry = servers.get(project);
    if (entry === undefined) throw new Error(`no memory remote for ${project}`);
    return entry;
  };
  return {
    project: async () => {
      const project = `conformance-${crypto.randomUUID()}`;
      const token = crypto.randomUUID();
      const members: Record<string, MemoryMember> = { [token]: { actor: "owner", role: "owner" } };
      servers.set(project, { server: makeMemoryRemote({ project, members, maxAheadMs: 5 * 60_000 }), members });
      return { project, actor: "owner", token };
    },
    invite: async (owner, actor, role) => {
      const token = crypto.randomUUID();
      serverOf(owner.project).members[token] = { actor, role };
      return { project: owner.project, actor, token };
    },
    remote: (member) => {
      const client = serverOf(member.project).server.connect({ token: member.token });
      clients.push(client);
      return client;
    },
    outage: {
      stop: async () => clients.forEach((client) => client.setConnection("disconnected")),
      start: async () => clients.forEach((client) => client.setConnection("connected")),
    },
    dispose: async () => undefined,
  };
}

runRemoteConformance("core's memory remote", makeMemoryHarness);
