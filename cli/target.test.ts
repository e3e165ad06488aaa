import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { resolveDataDir as bridgeDataDir } from "../server/env";
import { resolveDataDir } from "./target.mjs";
import { errorFor } from "./trpc-http.mjs";

describe("the CLI's data dir", () => {
  it.each([
    [{}, undefined],
    [{ MAESTRO_HOME: "/srv/maestro" }, undefined],
    [{ MAESTRO_HOME: "relative/home" }, undefined],
    [{ MAESTRO_HOME: "" }, undefined],
  ])("is the bridge's for env %j", (env, flag) => {
    expect(resolveDataDir(flag, env)).toBe(bridgeDataDir(env));
  });

  it("--data-dir wins over MAESTRO_HOME, resolved against the cwd", () => {
    expect(resolveDataDir("dd", { MAESTRO_HOME: "/srv/maestro" })).toBe(path.resolve("dd"));
    expect(resolveDataDir(undefined, {})).toBe(path.join(os.homedir(), ".maestro"));
  });
});

describe("tRPC errors → exit codes", () => {
  const trpc = (code: string, httpStatus: number) => ({ error: { json: { message: "m", code: -1, data: { code, httpStatus } } } });
  it.each([
    [400, trpc("BAD_REQUEST", 400), 2],
    [401, trpc("UNAUTHORIZED", 401), 5],
    [403, { error: { message: "Only the owner can do that." } }, 5],
    [404, trpc("NOT_FOUND", 404), 4],
    [404, { error: { message: "No such route." } }, 4],
    [409, trpc("CONFLICT", 409), 1],
    [500, trpc("INTERNAL_SERVER_ERROR", 500), 1],
    [502, null, 1],
  ])("HTTP %i %j → exit %i", (status, body, exit) => {
    expect(errorFor(status, body, "x.y").exitCode).toBe(exit);
  });

  it("keeps the bridge's message", () => {
    expect(errorFor(404, trpc("NOT_FOUND", 404), "agents.byId").message).toBe("m");
  });
});
