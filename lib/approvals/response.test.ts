import { describe, expect, test } from "vitest";
import { claudeControlResponse, questionAnswerInput } from "./response";

const INPUT = { command: "touch hi.txt", description: "Run it" };
const ID = "ee218ede-2fab-482d-ac05-829910a95ccd";

describe("claude control_response lines (as verified against 2.1.330)", () => {
  test("allow echoes the original input", () => {
    expect(claudeControlResponse(ID, { behavior: "allow" }, INPUT)).toBe(
      `{"type":"control_response","response":{"subtype":"success","request_id":"${ID}","response":{"behavior":"allow","updatedInput":{"command":"touch hi.txt","description":"Run it"}}}}\n`,
    );
  });
  test("allow with edited input sends the edit", () => {
    const line = JSON.parse(
      claudeControlResponse(ID, { behavior: "allow", updatedInput: { ...INPUT, command: "touch edited.txt" } }, INPUT),
    );
    expect(line.response.response).toEqual({ behavior: "allow", updatedInput: { command: "touch edited.txt", description: "Run it" } });
  });
  test("always adds one session rule, nothing else", () => {
    const line = JSON.parse(claudeControlResponse(ID, { behavior: "allow", sessionRule: "Bash(touch:*)" }, INPUT));
    expect(line.response.response).toEqual({
      behavior: "allow",
      updatedInput: INPUT,
      updatedPermissions: [
        { type: "addRules", rules: [{ toolName: "Bash", ruleContent: "touch:*" }], behavior: "allow", destination: "session" },
      ],
    });
    const bare = JSON.parse(claudeControlResponse(ID, { behavior: "allow", sessionRule: "Write" }, {}));
    expect(bare.response.response.updatedPermissions[0].rules).toEqual([{ toolName: "Write" }]);
  });
  test("deny carries the message and no interrupt", () => {
    expect(claudeControlResponse(ID, { behavior: "deny", message: "Not now: use the other folder." }, INPUT)).toBe(
      `{"type":"control_response","response":{"subtype":"success","request_id":"${ID}","response":{"behavior":"deny","message":"Not now: use the other folder."}}}\n`,
    );
  });
});

describe("questionAnswerInput", () => {
  const q = {
    questions: [
      {
        question: "Which colour should the button be?",
        header: "Colour",
        options: [
          { label: "Red", description: "A red button" },
          { label: "Blue", description: "A blue button" },
        ],
        multiSelect: false,
      },
    ],
  };
  test("the input plus answers keyed by question text", () => {
    expect(questionAnswerInput(q, { "Which colour should the button be?": "Blue" })).toEqual({
      ...q,
      answers: { "Which colour should the button be?": "Blue" },
    });
  });
  test("every question must be answered", () => {
    expect(() => questionAnswerInput(q, {})).toThrow(/Answer every question/);
    expect(() => questionAnswerInput(q, { "Which colour should the button be?": "  " })).toThrow(/Answer every question/);
    expect(() => questionAnswerInput({}, { a: "b" })).toThrow(/no questions/);
  });
  test("answers to questions not asked are dropped", () => {
    expect(questionAnswerInput(q, { "Which colour should the button be?": "Red", other: "x" }).answers).toEqual({
      "Which colour should the button be?": "Red",
    });
  });
});
