// @vitest-environment happy-dom
import { cleanup, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, test, vi } from "vitest";
import { SIMULATOR_EXAMPLES, SIMULATOR_LINE, TabEmptyState } from "./empty-state";

// Vitest runs without globals, so Testing Library cannot register its own cleanup.
afterEach(cleanup);

describe("TabEmptyState", () => {
  test("a simulator agent: one line on what it can do, and its examples fill the composer", async () => {
    const onExample = vi.fn();
    render(<TabEmptyState providerLabel="Simulator" folder="/srv/app" simulator onExample={onExample} />);
    expect(screen.getByText(SIMULATOR_LINE)).toBeTruthy();
    await userEvent.setup().click(screen.getByRole("button", { name: "Plan a todo app" }));
    expect(onExample).toHaveBeenCalledWith("Plan a todo app");
    expect(screen.getAllByRole("button").map((b) => b.textContent)).toEqual(SIMULATOR_EXAMPLES);
  });

  test("another provider: no simulator line, no examples", () => {
    render(<TabEmptyState providerLabel="Claude Code" folder="/srv/app" simulator={false} onExample={() => {}} />);
    expect(screen.queryByText(SIMULATOR_LINE)).toBeNull();
    expect(screen.queryAllByRole("button")).toEqual([]);
    expect(screen.getByText("Claude Code")).toBeTruthy();
  });
});
