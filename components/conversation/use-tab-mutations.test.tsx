// @vitest-environment happy-dom
import { useQuery } from "@tanstack/react-query";
import { act, renderHook, screen, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, test, vi } from "vitest";
import { useTRPC } from "@/lib/trpc/client";
import { bridgeError, testBridge, type Handler } from "@/test/ui/render";
import { storageKeys } from "../ui/storage";
import { useTabMutations, type Tab } from "./use-tab-mutations";

const tab = (id: string, name = id): Tab => ({ id, name, starred: false }) as unknown as Tab;
const names = (tabs: Tab[] | undefined) => tabs?.map((t) => `${t.id}:${t.name}${t.starred ? "*" : ""}`);

/** A promise the test settles, to look at the list while a mutation is still on its way. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

function setup(handlers: Record<string, Handler>, server: Tab[] = [tab("t1"), tab("t2"), tab("t3")]) {
  const bridge = testBridge({ "tabs.list": () => server, ...handlers });
  const callbacks = { onCreated: vi.fn(), onClosed: vi.fn(), onCloseError: vi.fn() };
  const hook = renderHook(
    () => {
      const trpc = useTRPC();
      // The tab bar's query: mounted, so invalidation refetches it as in the app.
      const list = useQuery(trpc.tabs.list.queryOptions({ agentId: "a1" }));
      return { list: list.data, ops: useTabMutations("a1", callbacks) };
    },
    { wrapper: bridge.Wrapper },
  );
  return { ...bridge, callbacks, hook, server };
}

/** The list the hook's component sees (TanStack Query tells observers on its next tick). */
const listIs = (s: ReturnType<typeof setup>, want: string[]) => waitFor(() => expect(names(s.hook.result.current.list)).toEqual(want));

async function loaded(s: ReturnType<typeof setup>) {
  await waitFor(() => expect(s.hook.result.current.list).toBeDefined());
  return s;
}

beforeEach(() => window.localStorage.clear());

describe("useTabMutations", () => {
  test("rename shows at once, then the server's list is fetched again", async () => {
    const answer = deferred<Tab>();
    const s = await loaded(setup({ "tabs.rename": () => answer.promise }));
    await act(async () => s.hook.result.current.ops.rename("t2", "Bugs"));
    await listIs(s, ["t1:t1", "t2:Bugs", "t3:t3"]);
    expect(s.fns["tabs.rename"]).toHaveBeenCalledWith({ id: "t2", name: "Bugs" });
    const before = s.fns["tabs.list"]!.mock.calls.length;
    s.server[1] = tab("t2", "Bugs");
    await act(async () => answer.resolve(tab("t2", "Bugs")));
    await waitFor(() => expect(s.fns["tabs.list"]!.mock.calls.length).toBeGreaterThan(before));
    expect(names(s.hook.result.current.list)).toEqual(["t1:t1", "t2:Bugs", "t3:t3"]);
  });

  test("a failed rename goes back to the server's list and says what failed", async () => {
    const answer = deferred<Tab>();
    const s = await loaded(setup({ "tabs.rename": () => answer.promise }));
    await act(async () => s.hook.result.current.ops.rename("t1", "x".repeat(300)));
    await listIs(s, [`t1:${"x".repeat(300)}`, "t2:t2", "t3:t3"]);
    await act(async () => answer.reject(bridgeError("That name is too long.")));
    await screen.findByText("Couldn't rename the tab: That name is too long.");
    await listIs(s, ["t1:t1", "t2:t2", "t3:t3"]);
  });

  test("star is optimistic", async () => {
    const s = await loaded(setup({ "tabs.star": () => deferred().promise }));
    await act(async () => s.hook.result.current.ops.star("t3", true));
    await listIs(s, ["t1:t1", "t2:t2", "t3:t3*"]);
    expect(s.fns["tabs.star"]).toHaveBeenCalledWith({ id: "t3", starred: true });
  });

  test("move swaps with the neighbour at once and sends the whole order; off the ends does nothing", async () => {
    const s = await loaded(setup({ "tabs.reorder": () => deferred().promise }));
    await act(async () => s.hook.result.current.ops.move("t1", 1));
    await listIs(s, ["t2:t2", "t1:t1", "t3:t3"]);
    expect(s.fns["tabs.reorder"]).toHaveBeenCalledWith({ agentId: "a1", ids: ["t2", "t1", "t3"] });
    await act(async () => s.hook.result.current.ops.move("t3", 1));
    await act(async () => s.hook.result.current.ops.move("t2", -1));
    expect(s.fns["tabs.reorder"]).toHaveBeenCalledTimes(1);
  });

  test("a failed reorder says so and the server's order comes back", async () => {
    const answer = deferred<never>();
    const s = await loaded(setup({ "tabs.reorder": () => answer.promise }));
    await act(async () => s.hook.result.current.ops.reorder(["t3", "t2", "t1"]));
    await listIs(s, ["t3:t3", "t2:t2", "t1:t1"]);
    await act(async () => answer.reject(bridgeError("The tabs changed meanwhile.", "CONFLICT")));
    await screen.findByText("Couldn't move the tab: The tabs changed meanwhile.");
    await listIs(s, ["t1:t1", "t2:t2", "t3:t3"]);
  });

  test("create adds the new tab when the bridge answers, once, and hands it over to be selected", async () => {
    const answer = deferred<Tab>();
    const s = await loaded(setup({ "tabs.create": () => answer.promise }));
    await act(async () => s.hook.result.current.ops.newTab());
    await waitFor(() => expect(s.hook.result.current.ops.creating).toBe(true));
    // A second tap while the first is on its way opens no second tab.
    await act(async () => s.hook.result.current.ops.newTab());
    expect(s.fns["tabs.create"]).toHaveBeenCalledTimes(1);
    expect(s.fns["tabs.create"]).toHaveBeenCalledWith({ agentId: "a1" });
    s.server.push(tab("t4"));
    await act(async () => answer.resolve(tab("t4")));
    await waitFor(() => expect(s.callbacks.onCreated).toHaveBeenCalledWith(expect.objectContaining({ id: "t4" })));
    await listIs(s, ["t1:t1", "t2:t2", "t3:t3", "t4:t4"]);
  });

  test("close removes the tab, forgets what this device kept for it and names the neighbour to select", async () => {
    const s = await loaded(setup({ "tabs.close": (input: { id: string }) => ({ id: input.id }) }));
    window.localStorage.setItem(storageKeys.draft("t2"), "half a thought");
    window.localStorage.setItem(storageKeys.queuePausedAfter("t2"), "turn-9");
    window.localStorage.setItem(storageKeys.draft("t1"), "kept");
    s.server.splice(1, 1);
    await act(async () => s.hook.result.current.ops.close("t2"));
    await waitFor(() => expect(s.callbacks.onClosed).toHaveBeenCalledWith("t2", "t3"));
    await listIs(s, ["t1:t1", "t3:t3"]);
    expect(window.localStorage.getItem(storageKeys.draft("t2"))).toBeNull();
    expect(window.localStorage.getItem(storageKeys.queuePausedAfter("t2"))).toBeNull();
    expect(window.localStorage.getItem(storageKeys.draft("t1"))).toBe("kept");
  });

  test("closing the last tab names the one before it; a failed close reports its message", async () => {
    const s = await loaded(setup({ "tabs.close": (input: { id: string }) => ({ id: input.id }) }));
    await act(async () => s.hook.result.current.ops.close("t3"));
    await waitFor(() => expect(s.callbacks.onClosed).toHaveBeenCalledWith("t3", "t2"));

    const f = await loaded(
      setup({
        "tabs.close": () => {
          throw bridgeError("The tab is gone.", "NOT_FOUND");
        },
      }),
    );
    await act(async () => f.hook.result.current.ops.close("t1"));
    await waitFor(() => expect(f.callbacks.onCloseError).toHaveBeenCalledWith("The tab is gone."));
    expect(f.callbacks.onClosed).not.toHaveBeenCalled();
  });
});
