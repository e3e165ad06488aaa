// @vitest-environment happy-dom
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, test, vi } from "vitest";
import type { FeatureStatus, FeatureView, MissionLogEntry, MissionView } from "@/lib/missions/types";
import { featureView, milestoneView, missionView } from "@/lib/missions/view.testkit";
import { testBridge } from "@/test/ui/render";
import { AssertionsPanel } from "./assertions-panel";
import { FeatureSheet } from "./feature-sheet";
import { MissionActions } from "./mission-actions";
import { ReviewGate } from "./mission-board";
import { MissionGraph } from "./mission-graph";
import { mergeLog } from "./use-missions";

vi.mock("next/navigation", () => ({ useRouter: () => ({ push: vi.fn() }) }));

const at = "2026-12-07T17:00:00.000Z";

function feature(key: string, milestoneKey: string, status: FeatureStatus, dependsOn: string[] = []): FeatureView {
  return featureView(key, milestoneKey, {
    dependsOn,
    verificationSteps: [`test -f ${key}.txt`],
    fulfills: [`${key}-ok`],
    status,
    statusDetail: status === "failed" ? "test -f c.txt exited 1" : "",
    agentId: "a1",
    agentName: "Ada",
    attempts: 1,
  });
}

/** A diamond (a → b, c → d) in a work milestone, then e in a validation milestone. */
function view(over: { sealed?: boolean; statuses?: Partial<Record<string, FeatureStatus>> } = {}): MissionView {
  const s = (k: string, d: FeatureStatus) => over.statuses?.[k] ?? d;
  const features = [
    feature("a", "m1", s("a", "done")),
    feature("b", "m1", s("b", "in-progress"), ["a"]),
    feature("c", "m1", s("c", "failed"), ["a"]),
    feature("d", "m1", s("d", "blocked"), ["b", "c"]),
    feature("e", "m2", s("e", "pending"), ["d"]),
  ];
  return missionView({
    id: "mis1",
    refId: "auth",
    agentId: "a0",
    agentName: "webapp",
    folder: "/p",
    title: "Auth",
    status: "executing",
    finishMode: "merge",
    pool: ["a1", "a2"],
    baseBranch: "main",
    branch: "mission/auth",
    milestones: [
      milestoneView("m1", 1, { id: "m1", title: "Build", status: over.sealed ? "sealed" : "active" }),
      milestoneView("m2", 2, { id: "m2", title: "Validate", kind: "validation", status: over.sealed ? "review" : "pending" }),
    ],
    features,
    assertions: features.map((f) => ({
      key: `${f.key}-ok`,
      status: f.status === "done" ? "passed" : "pending",
      evidence: "",
      setBy: null,
      features: [f.key],
      updatedAt: at,
    })),
    createdAt: at,
    updatedAt: at,
    approvedAt: at,
  });
}

const agents = [
  { id: "a0", name: "webapp", provider: "simulator", folder: "/p" },
  { id: "a1", name: "Ada", provider: "simulator", folder: "/p" },
  { id: "a2", name: "Bob", provider: "simulator", folder: "/p" },
  { id: "a3", name: "Cy", provider: "simulator", folder: "/p" },
];

describe("MissionGraph", () => {
  test("draws every feature as a node in its status and every dependency as an edge; a tap opens the feature", async () => {
    const onOpen = vi.fn();
    const { container } = render(<MissionGraph view={view()} onOpenFeature={onOpen} />);
    const graph = screen.getByRole("group", { name: "Dependency graph" });
    const nodes = within(graph).getAllByRole("button");
    expect(nodes.map((n) => n.getAttribute("data-node"))).toEqual(["a", "b", "c", "d", "e"]);
    expect(screen.getByRole("button", { name: "Feature c (c): Failed" }).getAttribute("data-status")).toBe("failed");
    // a→b, a→c, b→d, c→d, d→e
    expect(container.querySelectorAll("svg[aria-label='Dependency graph'] > path")).toHaveLength(5);
    // Layers left to right: a, then b and c in one column, then d, then e.
    const x = (k: string) => Number(/translate\(([\d.]+),/.exec(graph.querySelector(`[data-node='${k}']`)!.getAttribute("transform")!)![1]);
    expect(x("b")).toBe(x("c"));
    expect(x("a")).toBeLessThan(x("b"));
    expect(x("d")).toBeGreaterThan(x("c"));
    expect(x("e")).toBeGreaterThan(x("d"));
    await userEvent.setup().click(screen.getByRole("button", { name: "Feature d (d): Blocked" }));
    expect(onOpen).toHaveBeenCalledWith("d");
    fireEvent.keyDown(screen.getByRole("button", { name: "Feature b (b): Running" }), { key: "Enter" });
    expect(onOpen).toHaveBeenLastCalledWith("b");
  });

  test("a sealed milestone folds away until the switch shows it", async () => {
    const all = { a: "done", b: "done", c: "done", d: "done" } as const;
    render(<MissionGraph view={view({ sealed: true, statuses: all })} onOpenFeature={() => {}} />);
    const graph = screen.getByRole("group", { name: "Dependency graph" });
    expect(
      within(graph)
        .getAllByRole("button")
        .map((n) => n.getAttribute("data-node")),
    ).toEqual(["e"]);
    expect(screen.getByText("4 features of sealed milestones folded")).toBeTruthy();
    await userEvent.setup().click(screen.getByRole("switch", { name: "Show sealed milestones" }));
    expect(within(graph).getAllByRole("button")).toHaveLength(5);
  });
});

describe("FeatureSheet", () => {
  test("a failed feature offers Retry, Skip and Reassign to a pool agent", async () => {
    const bridge = testBridge({
      "agents.list": () => agents,
      "missions.retryFeature": () => undefined,
      "missions.reassignFeature": () => undefined,
    });
    render(<FeatureSheet view={view()} featureKey="c" onClose={() => {}} />, { wrapper: bridge.Wrapper });
    const user = userEvent.setup();
    const dialog = screen.getByRole("dialog", { name: "Feature c" });
    expect(within(dialog).getByText("test -f c.txt exited 1")).toBeTruthy();
    await user.click(within(dialog).getByRole("button", { name: "Retry" }));
    await waitFor(() => expect(bridge.fns["missions.retryFeature"]).toHaveBeenCalledWith({ missionId: "mis1", featureKey: "c" }));
    // Only the pool is offered (not Cy, not the project agent); the current worker is not the default.
    await within(dialog).findByRole("option", { name: "Bob" });
    expect(
      within(dialog)
        .getAllByRole("option")
        .map((o) => o.textContent),
    ).toEqual(["Ada", "Bob"]);
    expect(within(dialog).getByLabelText<HTMLSelectElement>("Reassign to").value).toBe("a2");
    await user.click(within(dialog).getByRole("button", { name: "Reassign" }));
    await waitFor(() =>
      expect(bridge.fns["missions.reassignFeature"]).toHaveBeenCalledWith({ missionId: "mis1", featureKey: "c", agentId: "a2" }),
    );
  });

  test("a running feature offers no failure actions", () => {
    const bridge = testBridge({ "agents.list": () => agents });
    render(<FeatureSheet view={view()} featureKey="b" onClose={() => {}} />, { wrapper: bridge.Wrapper });
    expect(screen.queryByRole("button", { name: "Retry" })).toBeNull();
    expect(screen.getByText("test -f b.txt")).toBeTruthy();
  });
});

describe("AssertionsPanel", () => {
  test("a waiver needs its reason; the verdict goes to the bridge with the evidence", async () => {
    const bridge = testBridge({ "missions.setAssertion": () => undefined });
    render(<AssertionsPanel view={view()} />, { wrapper: bridge.Wrapper });
    const user = userEvent.setup();
    expect(screen.getByText("1 of 5 passed or waived")).toBeTruthy();
    const row = screen.getByText("c-ok").closest("li")!;
    await user.click(within(row).getByRole("button", { name: "Waive" }));
    const dialog = screen.getByRole("dialog", { name: "Waive: c-ok" });
    const submit = within(dialog).getByRole<HTMLButtonElement>("button", { name: "Waive" });
    expect(submit.disabled).toBe(true);
    await user.type(within(dialog).getByLabelText("Why it is waived"), "Checked by hand");
    await user.click(submit);
    await waitFor(() =>
      expect(bridge.fns["missions.setAssertion"]).toHaveBeenCalledWith({
        missionId: "mis1",
        key: "c-ok",
        status: "waived",
        evidence: "Checked by hand",
      }),
    );
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
  });
});

describe("ReviewGate", () => {
  test("a validation milestone in review says it needs you and seals on one tap", async () => {
    const bridge = testBridge({ "missions.sealMilestone": () => undefined });
    const v = view({ sealed: true, statuses: { a: "done", b: "done", c: "done", d: "done", e: "done" } });
    render(<ReviewGate view={v} milestone={v.milestones[1]!} />, { wrapper: bridge.Wrapper });
    expect(screen.getByText("Needs your review")).toBeTruthy();
    expect(screen.getByText(/1 of 1 assertions passed or waived/)).toBeTruthy();
    await userEvent.setup().click(screen.getByRole("button", { name: "Seal Validate" }));
    await waitFor(() => expect(bridge.fns["missions.sealMilestone"]).toHaveBeenCalledWith({ missionId: "mis1", milestoneKey: "m2" }));
  });
});

describe("MissionActions", () => {
  test("a mission whose start failed offers to start again (approve), not Pause", async () => {
    const bridge = testBridge({ "missions.approve": () => undefined });
    const v = { ...view(), status: "approved" as const, statusDetail: "Could not start: not a git repository." };
    render(<MissionActions view={v} />, { wrapper: bridge.Wrapper });
    expect(screen.queryByRole("button", { name: /Pause/ })).toBeNull();
    await userEvent.setup().click(screen.getByRole("button", { name: /Try starting again/ }));
    await waitFor(() => expect(bridge.fns["missions.approve"]).toHaveBeenCalledWith({ missionId: "mis1" }));
  });

  test("an approved mission that is starting offers Pause", () => {
    const bridge = testBridge({});
    render(<MissionActions view={{ ...view(), status: "approved" }} />, { wrapper: bridge.Wrapper });
    expect(screen.getByRole("button", { name: /Pause/ })).toBeTruthy();
    expect(screen.queryByRole("button", { name: /Try starting again/ })).toBeNull();
  });
});

describe("mergeLog", () => {
  const entry = (id: number): MissionLogEntry => ({
    id,
    missionId: "m",
    type: "t",
    text: `#${id}`,
    featureKey: null,
    milestoneKey: null,
    createdAt: at,
  });
  test("a resumed stream's repeated batch shows once, in id order", () => {
    const first = mergeLog([], [entry(1), entry(2)]);
    const again = mergeLog(first, [entry(2), entry(3)]);
    expect(again.map((e) => e.id)).toEqual([1, 2, 3]);
    expect(mergeLog(again, [entry(1)])).toBe(again);
    expect(mergeLog(again, [entry(5), entry(4)]).map((e) => e.id)).toEqual([1, 2, 3, 4, 5]);
  });
});
