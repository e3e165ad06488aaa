import { expect, test } from "vitest";
import { hostnameOf, isAllowedHost } from "./hosts";

test.each([
  ["127.0.0.1:4280", "127.0.0.1"],
  ["localhost", "localhost"],
  ["[::1]:4280", "[::1]"],
  ["Box.Local:80", "box.local"],
  ["evil host", null],
  [undefined, null],
])("hostnameOf(%j) = %j", (h, name) => {
  expect(hostnameOf(h)).toBe(name);
});

test.each([
  ["127.0.0.1:4280", true],
  ["192.168.1.20:4280", true],
  ["[::1]:4280", true],
  ["localhost:4280", true],
  ["devbox.local", true],
  ["mybox:4280", true],
  ["abc.trycloudflare.com", true],
  ["evil.example:4280", false],
  ["trycloudflare.com.evil.example", false],
  ["", false],
])("isAllowedHost(%j) = %s", (h, ok) => {
  expect(isAllowedHost(h, ["mybox", "*.trycloudflare.com"])).toBe(ok);
});
