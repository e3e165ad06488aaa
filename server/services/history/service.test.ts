import { afterEach, describe, expect, it } from "vitest";
import { createTestServices } from "../../testing/harness";

describe("history.record", () => {
  let services: ReturnType<typeof createTestServices>;
  afterEach(() => services.cleanup());

  it("stores an entry with defaults and announces it", async () => {
    services = createTestServices();
    const seen: (string | null)[] = [];
    services.bus.subscribe("history.changed", (e) => seen.push(e.agentId));
    const row = await services.history.record({ kind: "turn", agentId: "a1", agentName: "api", summary: "Fixed it", costUsd: 0.5 });
    expect(row).toMatchObject({ kind: "turn", agentId: "a1", success: true, summary: "Fixed it", costUsd: 0.5, inputTokens: 0 });
    expect(await services.db.historyEntry.count()).toBe(1);
    expect(seen).toEqual(["a1"]);
  });
});
