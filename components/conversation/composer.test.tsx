// @vitest-environment happy-dom
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useRef, useState } from "react";
import { describe, expect, test, vi } from "vitest";
import { testBridge } from "@/test/ui/render";
import { Composer } from "./composer";

/** The composer as the conversation holds it: a controlled box that empties when sent. */
function setup(opts: { runningSince?: string | null; stopping?: boolean; willQueue?: boolean; initial?: string } = {}) {
  const bridge = testBridge({
    "composer.commands": () => [
      { name: "stop", description: "Stop the running turn", source: "builtin" },
      { name: "review", description: "Review the diff", source: "user" },
    ],
    "composer.mentions": () => [],
  });
  const sent: string[] = [];
  const onStop = vi.fn();
  function Harness() {
    const [value, setValue] = useState(opts.initial ?? "");
    const ref = useRef<HTMLTextAreaElement>(null);
    return (
      <Composer
        value={value}
        onChange={setValue}
        onSubmit={() => {
          sent.push(value);
          setValue("");
        }}
        onStop={onStop}
        runningSince={opts.runningSince ?? null}
        stopping={opts.stopping ?? false}
        placeholder="Message Ada…"
        textareaRef={ref}
        agentId="a1"
        willQueue={opts.willQueue ?? false}
      />
    );
  }
  render(<Harness />, { wrapper: bridge.Wrapper });
  return { sent, onStop, user: userEvent.setup(), box: screen.getByRole("textbox", { name: "Message" }), bridge };
}

describe("Composer", () => {
  test("typing and Enter sends, and the box empties", async () => {
    const { sent, user, box } = setup();
    await user.type(box, "fix the tests{Enter}");
    expect(sent).toEqual(["fix the tests"]);
    expect(box).toHaveProperty("value", "");
  });

  test("Shift+Enter makes a new line instead of sending", async () => {
    const { sent, user, box } = setup();
    await user.type(box, "one{Shift>}{Enter}{/Shift}two");
    expect(sent).toEqual([]);
    expect(box).toHaveProperty("value", "one\ntwo");
    await user.type(box, "{Control>}{Enter}{/Control}");
    expect(sent).toEqual(["one\ntwo"]);
  });

  test("Send is disabled until there is something to send; blank text never goes", async () => {
    const { sent, user, box } = setup();
    const send = screen.getByRole("button", { name: "Send" });
    expect(send).toHaveProperty("disabled", true);
    await user.type(box, "   {Enter}");
    expect(sent).toEqual([]);
    expect(send).toHaveProperty("disabled", true);
    await user.type(box, "go");
    expect(send).toHaveProperty("disabled", false);
    await user.click(send);
    expect(sent).toEqual(["   go"]);
  });

  test("while the tab is busy, Send says the message will be queued", () => {
    setup({ willQueue: true, initial: "later" });
    expect(screen.getByRole("button", { name: "Send" }).getAttribute("title")).toBe("Queue this message (it is sent when the tab is free)");
    expect(screen.getByText("What you send now waits in the queue until the tab is free.")).toBeTruthy();
  });

  test("while a turn runs: Working… and Stop; while stopping, Stop is disabled", async () => {
    const { onStop, user } = setup({ runningSince: new Date(Date.now() - 5000).toISOString() });
    expect(screen.getByText(/Working…/)).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Stop" }));
    expect(onStop).toHaveBeenCalledTimes(1);
  });

  test("while stopping, Stop cannot be pressed again", () => {
    setup({ runningSince: new Date().toISOString(), stopping: true });
    expect(screen.getByText(/Stopping…/)).toBeTruthy();
    expect(screen.getByRole("button", { name: "Stop" })).toHaveProperty("disabled", true);
  });

  test("no turn running: no Stop", () => {
    setup();
    expect(screen.queryByRole("button", { name: "Stop" })).toBeNull();
  });

  test("/ offers commands; Enter takes the highlighted one instead of sending", async () => {
    const { sent, user, box } = setup();
    await user.type(box, "/re");
    const option = await screen.findByRole("option", { name: /\/review/ });
    expect(option).toBeTruthy();
    await user.keyboard("{Enter}");
    expect(sent).toEqual([]);
    expect((box as HTMLTextAreaElement).value).toBe("/review ");
  });

  test("Escape leaves the box", async () => {
    const { user, box } = setup();
    await user.click(box);
    expect(document.activeElement).toBe(box);
    await user.keyboard("{Escape}");
    expect(document.activeElement).not.toBe(box);
  });
});
