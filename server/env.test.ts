import { describe, expect, test } from "vitest";
import os from "node:os";
import path from "node:path";
import { ConfigError, DEFAULT_HOST, DEFAULT_PORT, parseConfig } from "./env";

describe("parseConfig", () => {
  test("defaults to loopback and the fixed port", () => {
    const c = parseConfig([], {});
    expect(c.host).toBe(DEFAULT_HOST);
    expect(c.port).toBe(DEFAULT_PORT);
    expect(c.dataDir).toBe(path.join(os.homedir(), ".maestro"));
  });

  test("env is read, flags win", () => {
    const env = { MAESTRO_HOST: "0.0.0.0", MAESTRO_PORT: "5000", MAESTRO_HOME: "/tmp/m" };
    expect(parseConfig([], env)).toMatchObject({ host: "0.0.0.0", port: 5000, dataDir: "/tmp/m" });
    expect(parseConfig(["--port", "6000", "--host=::1"], env)).toMatchObject({ host: "::1", port: 6000 });
  });

  test.each([
    [["--port", "http"], /--port must be a port number/],
    [["--port", "70000"], /--port must be a port number/],
    [["--host"], /--host needs a value/],
    [["--bogus"], /unknown option "--bogus"/],
  ])("rejects %j with one clear line", (argv, message) => {
    expect(() => parseConfig(argv, {})).toThrow(ConfigError);
    expect(() => parseConfig(argv, {})).toThrow(message);
  });

  test("--tunnel (or MAESTRO_TUNNEL=1) starts the tunnel; off by default", () => {
    expect(parseConfig([], {}).tunnel).toBe(false);
    expect(parseConfig(["--tunnel"], {}).tunnel).toBe(true);
    expect(parseConfig([], { MAESTRO_TUNNEL: "1" }).tunnel).toBe(true);
  });

  test("a bad MAESTRO_PORT is named", () => {
    expect(() => parseConfig([], { MAESTRO_PORT: "abc" })).toThrow(/MAESTRO_PORT must be a port number/);
  });
});
