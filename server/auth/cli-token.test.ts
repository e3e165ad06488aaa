import fs from "node:fs";
import { afterEach, beforeEach, expect, test } from "vitest";
import { createTestServices, pairedOwner } from "../testing/harness";
import { cliTokenFile, readCliTokenFile } from "./cli-token";

let services: ReturnType<typeof createTestServices>;
beforeEach(() => {
  services = createTestServices();
});
afterEach(() => services.cleanup());

const mode = (file: string) => (fs.statSync(file).mode & 0o777).toString(8);

test("the first start writes <dataDir>/cli-token (0600) for a new CLI row; later starts keep it", async () => {
  const id = await services.auth.ensureCliToken();
  const file = readCliTokenFile(services.dataDir)!;
  expect(file.id).toBe(id);
  expect(mode(cliTokenFile(services.dataDir))).toBe("600");
  const row = await services.db.ownerSession.findUniqueOrThrow({ where: { id } });
  expect(row).toEqual(expect.objectContaining({ kind: "cli", deviceName: "CLI", revokedAt: null }));
  expect(row.tokenHash).not.toContain(file.token);

  expect(await services.auth.ensureCliToken()).toBe(id);
  expect(readCliTokenFile(services.dataDir)).toEqual(file);
  expect(await services.db.ownerSession.count({ where: { kind: "cli" } })).toBe(1);
  // No temporary files left behind.
  expect(fs.readdirSync(services.dataDir).filter((n) => n.startsWith("cli-token"))).toEqual(["cli-token"]);
});

test("a token file that matches no live CLI row is replaced, with a new row, and made 0600 again", async () => {
  fs.writeFileSync(cliTokenFile(services.dataDir), JSON.stringify({ token: "x".repeat(43), id: "nope" }), { mode: 0o644 });
  fs.chmodSync(cliTokenFile(services.dataDir), 0o644);
  const id = await services.auth.ensureCliToken();
  expect(id).not.toBe("nope");
  expect(readCliTokenFile(services.dataDir)!.token).not.toBe("x".repeat(43));
  expect(mode(cliTokenFile(services.dataDir))).toBe("600");

  // A device's token written into the file is not a CLI token either.
  const { sessionToken, principal } = await pairedOwner(services);
  fs.writeFileSync(cliTokenFile(services.dataDir), JSON.stringify({ token: sessionToken, id: principal.sessionId }));
  const again = await services.auth.ensureCliToken();
  expect(again).not.toBe(principal.sessionId);
  expect(await services.auth.authenticateBearer(readCliTokenFile(services.dataDir)!.token)).toEqual({ kind: "cli", sessionId: again });
});

test("revoking the CLI row rotates: the old token dies, the file holds a fresh live one", async () => {
  const bus: string[] = [];
  services.bus.subscribe("devices.revoked", ({ sessionId }) => void bus.push(sessionId));
  const oldId = await services.auth.ensureCliToken();
  const old = readCliTokenFile(services.dataDir)!;
  expect(await services.auth.revokeDevice(oldId)).toBe(true);
  expect(bus).toEqual([oldId]);
  const fresh = readCliTokenFile(services.dataDir)!;
  expect(fresh.id).not.toBe(oldId);
  expect(fresh.token).not.toBe(old.token);
  expect(await services.auth.authenticateBearer(old.token)).toBeNull();
  expect(await services.auth.authenticateBearer(fresh.token)).toEqual({ kind: "cli", sessionId: fresh.id });
  expect((await services.auth.listDevices()).map((d) => [d.deviceName, d.kind])).toEqual([["CLI", "cli"]]);
});

test("a token works only on its own path: CLI tokens are no cookies, device cookies no Bearer", async () => {
  await services.auth.ensureCliToken();
  const cli = readCliTokenFile(services.dataDir)!;
  const device = await pairedOwner(services);
  expect(await services.auth.authenticate(cli.token)).toBeNull();
  expect(await services.auth.authenticateBearer(device.sessionToken)).toBeNull();
  expect(await services.auth.authenticate(device.sessionToken)).toEqual(device.principal);
  expect(await services.auth.authenticateBearer("")).toBeNull();
});

test("the CLI's row does not count as a paired device (the start banner still offers pairing)", async () => {
  await services.auth.ensureCliToken();
  expect(await services.auth.hasOwnerDevices()).toBe(false);
  await pairedOwner(services);
  expect(await services.auth.hasOwnerDevices()).toBe(true);
});

test("a lost token file gets a new row and retires the old local one (one CLI row in Devices)", async () => {
  const cut: string[] = [];
  services.bus.subscribe("devices.revoked", ({ sessionId }) => void cut.push(sessionId));
  const first = await services.auth.ensureCliToken();
  const lost = readCliTokenFile(services.dataDir)!;
  fs.rmSync(cliTokenFile(services.dataDir));
  const second = await services.auth.ensureCliToken();
  expect(second).not.toBe(first);
  expect(cut).toEqual([first]);
  expect(await services.auth.authenticateBearer(lost.token)).toBeNull();
  expect((await services.auth.listDevices()).filter((d) => d.kind === "cli").map((d) => d.id)).toEqual([second]);
});
