import { describe, expect, test } from "vitest";
import { describeExit, parseClientMessage } from "./protocol";

describe("parseClientMessage", () => {
  test.each([
    ['{"t":"resize","cols":80,"rows":24}', { t: "resize", cols: 80, rows: 24 }],
    ['{"t":"resize","cols":0,"rows":24}', null],
    ['{"t":"resize","cols":80.5,"rows":24}', null],
    ['{"t":"resize","cols":5000,"rows":24}', null],
    ['{"t":"nope"}', null],
    ["not json", null],
    ["[]", null],
  ])("%s", (text, want) => {
    expect(parseClientMessage(text)).toEqual(want);
  });
});

describe("describeExit", () => {
  test.each([
    [{ code: 0, signal: null }, "exited with code 0"],
    [{ code: 7, signal: null }, "exited with code 7"],
    [{ code: 0, signal: 9 }, "killed by signal 9"],
    [{ code: null, signal: null }, "exited with code 0"],
  ])("%j", (exit, want) => {
    expect(describeExit(exit)).toBe(want);
  });
});
