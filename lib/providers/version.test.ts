import { expect, test } from "vitest";
import { parseVersion } from "./version";

test.each([
  ["2.1.330 (Claude Code)\n", "2.1.330"],
  ["codex-cli 0.169.0", "0.169.0"],
  ["1.18.33", "1.18.33"],
  ["0.61.0-nightly.20261101", "0.61.0-nightly.20261101"],
  ["no version here", null],
])("parseVersion(%j) = %j", (out, v) => {
  expect(parseVersion(out)).toBe(v);
});
