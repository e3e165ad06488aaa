import fs from "node:fs";
import { afterEach, expect, test } from "vitest";
import { cliTokenFile } from "../auth/cli-token";
import { callerFor, createTestServices, pairedOwner } from "../testing/harness";

let services: ReturnType<typeof createTestServices>;
afterEach(async () => services?.cleanup());

test("devices.createCliToken mints a revocable CLI row of its own that the local CLI token's upkeep never retires", async () => {
  services = createTestServices();
  const { principal } = await pairedOwner(services);
  const caller = callerFor(services, principal);
  const minted = await caller.devices.createCliToken({ name: "ci-runner" });
  expect(minted).toEqual({ id: expect.any(String), name: "ci-runner", token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
  expect(await services.auth.authenticateBearer(minted.token)).toEqual({ kind: "cli", sessionId: minted.id });
  // A token is no cookie: the browser path refuses it.
  expect(await services.auth.authenticate(minted.token)).toBeNull();

  // The bridge (re)writes the local CLI's token at every start, retiring every other *local* row:
  // the remote one must survive that, including when the file was lost and a new row is made.
  await services.auth.ensureCliToken();
  fs.rmSync(cliTokenFile(services.dataDir));
  await services.auth.ensureCliToken();
  expect(await services.auth.authenticateBearer(minted.token)).toEqual({ kind: "cli", sessionId: minted.id });

  const devices = await caller.devices.list();
  expect(devices.filter((d) => d.kind === "cli").map((d) => d.deviceName)).toEqual(expect.arrayContaining(["CLI", "ci-runner"]));
  await caller.devices.revoke({ id: minted.id });
  expect(await services.auth.authenticateBearer(minted.token)).toBeNull();
});

test("the name defaults to Remote CLI and is checked like any name", async () => {
  services = createTestServices();
  const caller = callerFor(services, (await pairedOwner(services)).principal);
  expect((await caller.devices.createCliToken({})).name).toBe("Remote CLI");
  await expect(caller.devices.createCliToken({ name: "   " })).rejects.toThrow("Give it a name.");
  await expect(caller.devices.createCliToken({ name: "x".repeat(81) })).rejects.toThrow("Keep the name under 80 characters.");
  // Share links and nobody else may mint one.
  await expect(callerFor(services, null).devices.createCliToken({})).rejects.toThrow();
});
