import type os from "node:os";
import { expect, test } from "vitest";
import { lanInfo } from "./lan";

const ifaces = {
  lo: [{ address: "127.0.0.1", family: "IPv4", internal: true }],
  eth0: [
    { address: "192.168.1.20", family: "IPv4", internal: false },
    { address: "fe80::1", family: "IPv6", internal: false },
  ],
  wlan0: [{ address: "10.0.0.5", family: "IPv4", internal: false }],
} as unknown as ReturnType<typeof os.networkInterfaces>;

test.each([
  ["0.0.0.0", true, ["http://192.168.1.20:4280", "http://10.0.0.5:4280"], null],
  ["10.0.0.5", true, ["http://10.0.0.5:4280"], null],
  ["127.0.0.1", false, ["http://192.168.1.20:4280", "http://10.0.0.5:4280"], /--host 0\.0\.0\.0/],
])("bound to %s: listening on the LAN = %s", (host, listening, urls, hint) => {
  const info = lanInfo(host, 4280, ifaces);
  expect(info.listening).toBe(listening);
  expect(info.urls).toEqual(urls);
  if (hint) expect(info.hint).toMatch(hint);
  else expect(info.hint).toBeNull();
});

test("no LAN address at all is said plainly", () => {
  expect(lanInfo("0.0.0.0", 4280, { lo: ifaces.lo })).toEqual({
    listening: false,
    urls: [],
    hint: "This machine has no LAN address right now.",
  });
});
