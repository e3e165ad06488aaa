// @vitest-environment happy-dom
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, test, vi } from "vitest";
import { editQueued, moveQueued, removeQueued, type QueuedMessage } from "@/lib/transcript/queue";
import "@/test/ui/render";
import { QueuePanel } from "./queue-panel";
import type { MessageQueue } from "./use-send-queue";

type State = Parameters<typeof QueuePanel>[0]["state"];

/** The panel over a live queue (the list operations the send policy uses). */
function setup(texts: string[], opts: { state?: State; sendingId?: string | null } = {}) {
  const onResume = vi.fn();
  const calls: string[] = [];
  function Harness() {
    const [items, setItems] = useState<QueuedMessage[]>(texts.map((text, i) => ({ id: `q${i + 1}`, text, at: i })));
    const queue: MessageQueue = {
      items,
      remove: (id) => (calls.push(`remove ${id}`), setItems((q) => removeQueued(q, id))),
      edit: (id, text) => (calls.push(`edit ${id}`), setItems((q) => editQueued(q, id, text))),
      move: (id, by) => (calls.push(`move ${id} ${by}`), setItems((q) => moveQueued(q, id, by))),
    };
    return <QueuePanel queue={queue} state={opts.state ?? "waiting"} sendingId={opts.sendingId ?? null} onResume={onResume} />;
  }
  const view = render(<Harness />);
  const rows = () =>
    within(screen.getByRole("list"))
      .getAllByRole("listitem")
      .map((li) => li.textContent?.replace(/\s+/g, " ").trim());
  return { view, rows, calls, onResume, user: userEvent.setup() };
}

describe("QueuePanel", () => {
  test("nothing queued: nothing shown", () => {
    const { view } = setup([]);
    expect(view.container.textContent).toBe("");
  });

  test("lists the messages in the order they will go, with the count", () => {
    const { rows } = setup(["first", "second"]);
    expect(screen.getByText("Queued (2)")).toBeTruthy();
    expect(rows()).toEqual(["1.first", "2.second"]);
  });

  test("Remove takes a message out of the queue", async () => {
    const { rows, user, calls } = setup(["first", "second", "third"]);
    await user.click(screen.getByRole("button", { name: "Remove queued message 2" }));
    expect(calls).toEqual(["remove q2"]);
    expect(rows()).toEqual(["1.first", "2.third"]);
    expect(screen.getByText("Queued (2)")).toBeTruthy();
  });

  test("moving up and down reorders; the ends cannot move further", async () => {
    const { rows, user } = setup(["a", "b"]);
    expect(screen.getByRole("button", { name: "Move queued message 1 up" })).toHaveProperty("disabled", true);
    expect(screen.getByRole("button", { name: "Move queued message 2 down" })).toHaveProperty("disabled", true);
    await user.click(screen.getByRole("button", { name: "Move queued message 1 down" }));
    expect(rows()).toEqual(["1.b", "2.a"]);
  });

  test("a message can be edited before it goes", async () => {
    const { rows, user } = setup(["typo"]);
    await user.click(screen.getByRole("button", { name: "Edit queued message 1" }));
    const box = screen.getByRole("textbox", { name: "Queued text 1" });
    await user.clear(box);
    await user.type(box, "fixed");
    await user.click(screen.getByRole("button", { name: "Save" }));
    expect(rows()).toEqual(["1.fixed"]);
  });

  test("the message on its way cannot be changed", () => {
    setup(["going", "waiting"], { state: "sending", sendingId: "q1" });
    expect(screen.getByText("Sending the next one…")).toBeTruthy();
    for (const name of ["Edit queued message 1", "Remove queued message 1", "Move queued message 1 down"]) {
      expect(screen.getByRole("button", { name })).toHaveProperty("disabled", true);
    }
    expect(screen.getByRole("button", { name: "Remove queued message 2" })).toHaveProperty("disabled", false);
  });

  test.each([
    ["waiting", "Sent in order when the current turn ends.", null],
    ["offline", "Queued — will send when back online.", null],
    ["paused", "Paused after Stop: nothing goes out until you say so.", "Resume queue"],
    ["failed", "Paused: the last one could not be sent.", "Retry queue"],
  ] as const)("%s: the panel says so", async (state, note, action) => {
    const { onResume, user } = setup(["x"], { state });
    expect(screen.getByText(note)).toBeTruthy();
    if (!action) {
      expect(screen.queryByRole("button", { name: /queue$/ })).toBeNull();
      return;
    }
    await user.click(screen.getByRole("button", { name: action }));
    expect(onResume).toHaveBeenCalledTimes(1);
  });

  test("the list folds away and back", async () => {
    const { user } = setup(["x"]);
    const toggle = screen.getByRole("button", { name: /Queued \(1\)/ });
    expect(toggle.getAttribute("aria-expanded")).toBe("true");
    await user.click(toggle);
    expect(toggle.getAttribute("aria-expanded")).toBe("false");
    expect(screen.queryByRole("list")).toBeNull();
  });
});
