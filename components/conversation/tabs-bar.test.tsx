// @vitest-environment happy-dom
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { expect, test, vi } from "vitest";
import "@/test/ui/render";
import { TabsBar, type TabInfo } from "./tabs-bar";

const tabs: TabInfo[] = [
  { id: "a", name: "Main", starred: false },
  { id: "b", name: "Refactor", starred: true },
];

function renderBar(onClose = vi.fn()) {
  render(
    <TabsBar
      tabs={tabs}
      selectedId="a"
      runningId={null}
      panelId="panel"
      creating={false}
      onSelect={() => {}}
      onNew={() => {}}
      onRename={() => {}}
      onStar={() => {}}
      onMove={() => {}}
      onReorder={() => {}}
      onClose={onClose}
    />,
  );
  return onClose;
}

test("the tab list holds only tabs: the chips' close buttons are for pointers, out of the accessibility tree", () => {
  renderBar();
  const list = screen.getByRole("tablist", { name: "Conversations" });
  expect(
    within(list)
      .getAllByRole("tab")
      .map((t) => t.textContent),
  ).toEqual(["Main", "Refactor"]);
  // Nothing else a reader or the Tab key would reach inside the list.
  expect(within(list).queryAllByRole("button")).toEqual([]);
  for (const el of list.querySelectorAll("button:not([role=tab])")) {
    expect(el.getAttribute("aria-hidden")).toBe("true");
    expect(el.getAttribute("tabindex")).toBe("-1");
  }
});

test("Delete on a focused tab closes that tab; a pointer still has the ×", async () => {
  const onClose = renderBar();
  const user = userEvent.setup();
  screen.getByRole("tab", { name: "Main" }).focus();
  await user.keyboard("{Delete}");
  expect(onClose).toHaveBeenCalledWith(tabs[0]);
  await user.click(screen.getAllByTitle("Close tab (Delete)")[0]!);
  expect(onClose).toHaveBeenCalledTimes(2);
});
