import { describe, expect, test } from "vitest";
import { ProviderCapabilityError } from "../errors";
import type { Invocation, TurnSpec } from "../types";
import { buildInvocation } from "./invocation";

const META = "$(rm -rf ~) ; | & ` \"' \n";
const base: TurnSpec = { prompt: "Fix the bug", cwd: "/work/p", binary: "/usr/bin/gemini" };
const OUT = ["--output-format", "stream-json"];

describe("gemini buildInvocation", () => {
  test.each<[string, Partial<TurnSpec>, string[]]>([
    ["a plain prompt (auto-approve: -y)", {}, ["-p", "Fix the bug", ...OUT, "-y"]],
    ["resume", { resumeSessionId: "5f0c-uuid" }, ["-p", "Fix the bug", ...OUT, "-y", "--resume", "5f0c-uuid"]],
    ["model", { model: "gemini-2.5-flash" }, ["-p", "Fix the bug", ...OUT, "-y", "-m", "gemini-2.5-flash"]],
    ["readOnly: default approval, no write tools", { readOnly: true }, ["-p", "Fix the bug", ...OUT]],
    ["autoApprove off", { autoApprove: false }, ["-p", "Fix the bug", ...OUT]],
    [
      "extraArgs last",
      { extraArgs: ["--include-directories", "../lib"] },
      ["-p", "Fix the bug", ...OUT, "-y", "--include-directories", "../lib"],
    ],
    ["system prompt leads the prompt", { appendSystemPrompt: "Be brief." }, ["-p", "Be brief.\n\nFix the bug", ...OUT, "-y"]],
    ["shell metacharacters stay one argv element", { prompt: META }, ["-p", META, ...OUT, "-y"]],
    [
      "a prompt starting with '-' uses --prompt= so yargs keeps it a value",
      { prompt: "- [ ] tick this" },
      ["--prompt=- [ ] tick this", ...OUT, "-y"],
    ],
  ])("%s", (_name, over, args) => {
    expect(buildInvocation({ ...base, ...over })).toEqual<Invocation>({
      command: "/usr/bin/gemini",
      args,
      env: {},
      cwd: "/work/p",
      stdin: null,
    });
  });

  test("images are refused with a typed error", () => {
    expect(() => buildInvocation({ ...base, images: ["/tmp/a.png"] })).toThrow(ProviderCapabilityError);
    try {
      buildInvocation({ ...base, images: ["/tmp/a.png"] });
    } catch (e) {
      expect(e).toMatchObject({
        code: "images_unsupported",
        provider: "gemini",
        message: "Gemini CLI can't take images in batch mode (it has no image flag).",
      });
    }
  });
});
