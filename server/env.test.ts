import { describe, expect, test } from "vitest";
import os from "node:os";
import path from "node:path";
import { ConfigError, DEFAULT_HOST, DEFAULT_PORT, DEFAULT_PROVIDER_NICE, parseConfig, readServicesEnv } from "./env";

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

describe("readServicesEnv", () => {
  test("defaults when nothing is set", () => {
    expect(readServicesEnv({})).toEqual({
      path: "",
      shell: null,
      codexHome: path.join(os.homedir(), ".codex"),
      simulatorHome: path.join(os.homedir(), ".maestro-sim"),
      pushSubject: null,
      providerNice: DEFAULT_PROVIDER_NICE,
      cloudflared: null,
      allowedHosts: [],
      pairAttemptsPerMinute: undefined,
    });
  });

  test("reads every variable the services use", () => {
    const env = readServicesEnv({
      PATH: "/bin:/usr/bin",
      SHELL: " /bin/zsh ",
      CODEX_HOME: "/c",
      MAESTRO_SIM_HOME: "/s",
      MAESTRO_PUSH_SUBJECT: "mailto:me@example.org",
      MAESTRO_PROVIDER_NICE: "5",
      MAESTRO_CLOUDFLARED: "/opt/cloudflared",
      MAESTRO_ALLOWED_HOSTS: " maestro.example.org, ,box.lan ",
      MAESTRO_PAIR_ATTEMPTS_PER_MINUTE: "100",
    });
    expect(env).toEqual({
      path: "/bin:/usr/bin",
      shell: "/bin/zsh",
      codexHome: "/c",
      simulatorHome: "/s",
      pushSubject: "mailto:me@example.org",
      providerNice: 5,
      cloudflared: "/opt/cloudflared",
      allowedHosts: ["maestro.example.org", "box.lan"],
      pairAttemptsPerMinute: 100,
    });
  });

  test.each([
    ["25", 19],
    ["-3", 0],
    ["high", DEFAULT_PROVIDER_NICE],
    ["", DEFAULT_PROVIDER_NICE],
  ])("MAESTRO_PROVIDER_NICE=%j → %i", (raw, nice) => {
    expect(readServicesEnv({ MAESTRO_PROVIDER_NICE: raw }).providerNice).toBe(nice);
  });

  test.each([["0"], ["-1"], ["ten"]])("MAESTRO_PAIR_ATTEMPTS_PER_MINUTE=%j keeps the default", (raw) => {
    expect(readServicesEnv({ MAESTRO_PAIR_ATTEMPTS_PER_MINUTE: raw }).pairAttemptsPerMinute).toBeUndefined();
  });
});
