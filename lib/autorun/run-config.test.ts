import { describe, expect, test } from "vitest";
import { parsePlaybookFile, playbookFile, PlaybookImportError } from "./run-config";

describe("playbook import", () => {
  test("a desktop playbook file: fields read, unknown fields ignored, defaults filled", () => {
    const file = JSON.stringify({
      name: "Nightly",
      documents: [{ filename: "plan.md", resetOnCompletion: true, color: "red" }, { filename: "sub/fix.md" }],
      loopEnabled: true,
      maxLoops: 3,
      prompt: "Do {{DOCUMENT_PATH}}",
      taskSelectionMode: "document",
      worktreeSettings: { enabled: false, branchName: "auto" },
      id: "desktop-id",
      createdAt: 123,
    });
    const { name, config } = parsePlaybookFile(file);
    expect(name).toBe("Nightly");
    expect(config).toEqual({
      documents: [
        { filename: "plan.md", resetOnCompletion: true },
        { filename: "sub/fix.md", resetOnCompletion: false },
      ],
      loopEnabled: true,
      maxLoops: 3,
      prompt: "Do {{DOCUMENT_PATH}}",
      taskSelectionMode: "document",
      worktreeSettings: { enabled: false, branchName: "auto" },
    });
    // Round trip through export.
    expect(parsePlaybookFile(JSON.stringify(playbookFile("Nightly", config))).config).toEqual(config);
  });

  test.each([
    ["not json", "{documents:", /not valid JSON/],
    ["an array", "[1,2]", /JSON object with a documents list/],
    ["no documents", "{}", /documents is missing/],
    ["empty documents", '{"documents":[]}', /at least one document/],
    ["a document without filename", '{"documents":[{}]}', /documents\.0\.filename/],
    ["a path escaping the folder", '{"documents":[{"filename":"../../etc/passwd"}]}', /may not contain '\.\.'/],
    ["an absolute path", '{"documents":[{"filename":"/etc/passwd"}]}', /relative to the Auto Run folder/],
    ["a string maxLoops", '{"documents":[{"filename":"a.md"}],"maxLoops":"many"}', /maxLoops must be a number/],
    ["a bad reset flag", '{"documents":[{"filename":"a.md","resetOnCompletion":"yes"}]}', /resetOnCompletion must be true or false/],
  ])("%s → a clear error", (_name, text, message) => {
    expect(() => parsePlaybookFile(text)).toThrow(PlaybookImportError);
    expect(() => parsePlaybookFile(text)).toThrow(message);
  });
});
