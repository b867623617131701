/** The fault-injecting wrapper does what the convergence suite relies on. */
import { describe, expect, it } from "vitest";
import { makeOpBuilder } from "../../src/testing/pure/op-builder.js";
import type { ConnectionState } from "../../src/sync/remote-op-store.js";
import { makeFaultSchedule, makeFaultyRemote } from "../../src/testing/faulty-remote.js";
import { makeMemoryRemote } from "../../src/testing/memory-remote.js";
import { waitFor } from "../../src/testing/wait-for.js";

const build = makeOpBuilder({ project: "p", replica: "1111111111111111" });

describe("faulty remote", () => {
  it("a dropped request is not applied; a dropped response is applied but reported unreachable", async () => {
    const server = makeMemoryRemote({ project: "p" });
    const drop = makeFaultyRemote(server.connect(), makeFaultSchedule({ seed: 1, rates: { dropRequest: 1 } }));
    await expect(drop.push([build()])).rejects.toMatchObject({ reason: "unreachable", retryable: true });
    expect(server.head()).toBe(0);
    const lose = makeFaultyRemote(server.connect(), makeFaultSchedule({ seed: 1, rates: { dropResponse: 1 } }));
    await expect(lose.push([build()])).rejects.toMatchObject({ reason: "unreachable" });
    expect(server.head()).toBe(1);
  });

  it("a partition disconnects and refuses; healing reconnects and replays the head; calm is transparent", async () => {
    const server = makeMemoryRemote({ project: "p" });
    const schedule = makeFaultSchedule({ seed: 7, rates: { reorderHead: 1, duplicateHead: 1 } });
    const remote = makeFaultyRemote(server.connect(), schedule);
    const states: Array<ConnectionState> = [];
    const heads: Array<number> = [];
    remote.subscribeConnection((s) => states.push(s));
    remote.subscribeHead(
      (h) => heads.push(h),
      () => {},
    );
    await waitFor("connected", () => states.at(-1) === "connected");
    schedule.partition();
    expect(states.at(-1)).toBe("disconnected");
    await expect(remote.pull(0, 10)).rejects.toMatchObject({ reason: "unreachable" });
    await server.connect().push([build(), build()]);
    schedule.heal();
    expect(states.at(-1)).toBe("connected");
    await waitFor("the head after healing", () => heads.includes(2));
    schedule.calm();
    expect(await remote.pull(0, 10)).toMatchObject({ head: 2 });
    expect(schedule.injected.reorderHead + schedule.injected.duplicateHead).toBeGreaterThan(0);
    await remote.close();
  });

  it("the same seed injects the same faults", async () => {
    const run = async (seed: number) => {
      const remote = makeFaultyRemote(
        makeMemoryRemote({ project: "p" }).connect(),
        makeFaultSchedule({ seed, rates: { dropRequest: 0.5 } }),
      );
      const outcomes: Array<boolean> = [];
      for (let i = 0; i < 20; i += 1)
        outcomes.push(
          await remote.identity().then(
            () => true,
            () => false,
          ),
        );
      return outcomes;
    };
    expect(await run(42)).toEqual(await run(42));
    expect((await run(42)).some((ok) => !ok)).toBe(true);
  });
});
