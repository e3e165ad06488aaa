import { describe, expect, test } from "vitest";
import { bundleManifest, parseImportText } from "./playbook-formats";
import { parsePlaybookFile, PlaybookImportError, runConfigSchema } from "./run-config";

/**
 * Our own fixtures, in the shapes the other side publishes:
 * - the registry's manifest.json (RunMaestro/Maestro-Playbooks, read at pedramamini/Maestro-Playbooks
 *   manifest.json): `lastUpdated` + `playbooks[]` with `id`, `title`, `description`, `category`,
 *   `subcategory`, `author`, `authorLink`, `tags`, `lastUpdated`, `path`, `documents[{filename
 *   (no .md), resetOnCompletion}]`, `loopEnabled`, `maxLoops`, `prompt: null`;
 * - desktop's local-manifest.json (pedramamini/Maestro docs/local-manifest.md and
 *   docs/examples/local-manifest.json): the same, plus `assets: ["config.yaml", …]`.
 */
const REGISTRY_MANIFEST = {
  lastUpdated: "2026-02-01",
  playbooks: [
    {
      id: "quality-lint-sweep",
      title: "Lint Sweep",
      description: "Finds lint warnings and fixes the safe ones.",
      category: "Quality",
      subcategory: "Lint",
      author: "Fixture Author",
      authorLink: "https://example.invalid",
      tags: ["lint", "cleanup"],
      lastUpdated: "2026-02-01",
      path: "Quality/Lint",
      documents: [
        { filename: "1_SCAN", resetOnCompletion: false },
        { filename: "2_FIX", resetOnCompletion: true },
      ],
      loopEnabled: true,
      maxLoops: 4,
      prompt: null,
    },
    {
      id: "docs-readme",
      title: "README Refresh",
      description: "Rewrites the README from the code.",
      category: "Docs",
      author: "Fixture Author",
      lastUpdated: "2026-02-01",
      path: "Docs/Readme",
      documents: [{ filename: "1_READ", resetOnCompletion: false }],
      loopEnabled: false,
      maxLoops: null,
      prompt: "Work on {{DOCUMENT_PATH}} only.",
      assets: ["outline.yaml", "img/logo.svg"],
    },
  ],
};

describe("manifests", () => {
  test("a registry manifest answers with its playbooks: title as the name, description, document count", () => {
    const answer = parseImportText(JSON.stringify(REGISTRY_MANIFEST));
    expect(answer).toEqual({
      kind: "manifest",
      skipped: [],
      choices: [
        {
          key: "quality-lint-sweep",
          name: "Lint Sweep",
          description: "Finds lint warnings and fixes the safe ones.",
          category: "Quality",
          author: "Fixture Author",
          documents: 2,
        },
        {
          key: "docs-readme",
          name: "README Refresh",
          description: "Rewrites the README from the code.",
          category: "Docs",
          author: "Fixture Author",
          documents: 1,
        },
      ],
    });
  });

  test("picking one: prompt null is the built-in prompt, filenames stay as written, the path and assets are kept", () => {
    expect(parseImportText(JSON.stringify(REGISTRY_MANIFEST), "quality-lint-sweep")).toEqual({
      kind: "playbook",
      name: "Lint Sweep",
      path: "Quality/Lint",
      config: {
        documents: [
          { filename: "1_SCAN", resetOnCompletion: false },
          { filename: "2_FIX", resetOnCompletion: true },
        ],
        loopEnabled: true,
        maxLoops: 4,
        prompt: "",
        taskSelectionMode: "task",
        worktreeSettings: null,
      },
    });
    const readme = parseImportText(JSON.stringify(REGISTRY_MANIFEST), "docs-readme");
    expect(readme).toMatchObject({
      name: "README Refresh",
      config: { prompt: "Work on {{DOCUMENT_PATH}} only.", assets: ["outline.yaml", "img/logo.svg"] },
    });
  });

  test("entries that are not playbooks are left out, and said why; keys stay unique", () => {
    const manifest = {
      playbooks: [
        { id: "ok", title: "Fine", documents: [{ filename: "a" }] },
        { id: "broken", title: "Broken", documents: "nope" },
        "a string",
        { title: "No id", documents: [{ filename: "b" }] },
        { id: "ok", title: "Same id", documents: [{ filename: "c" }] },
      ],
    };
    const answer = parseImportText(JSON.stringify(manifest));
    if (answer.kind !== "manifest") throw new Error("expected a manifest");
    expect(answer.choices.map((c) => [c.key, c.name])).toEqual([
      ["ok", "Fine"],
      ["#4", "No id"],
      ["ok#5", "Same id"],
    ]);
    expect(answer.skipped).toEqual([
      "Broken: documents must be a list of {filename, resetOnCompletion}. (at documents)",
      "entry 3 is not an object",
    ]);
    expect(parseImportText(JSON.stringify(manifest), "#4")).toMatchObject({ name: "No id", config: { documents: [{ filename: "b" }] } });
  });

  test.each([
    ["an empty manifest", { playbooks: [] }, undefined, /lists no playbooks/],
    [
      "a manifest of broken entries",
      { playbooks: [{ title: "X", documents: [] }] },
      undefined,
      /no playbook Maestro can read: X: A playbook needs at least one document/,
    ],
    ["a pick that is not there", REGISTRY_MANIFEST, "nope", /has no playbook “nope”/],
    ["a broken pick", { playbooks: [{ id: "x", documents: [{ filename: "../up" }] }] }, "x", /may not contain '\.\.'/],
    ["a pick from a playbook file", { documents: [{ filename: "a" }] }, "x", /one playbook, not a manifest/],
  ])("%s → a clear error", (_name, json, pick, message) => {
    expect(() => parseImportText(JSON.stringify(json), pick)).toThrow(PlaybookImportError);
    expect(() => parseImportText(JSON.stringify(json), pick)).toThrow(message);
  });
});

describe("desktop's fields", () => {
  test("worktreeSettings in desktop's spelling are kept, in desktop's order; ours still read", () => {
    const desktop = { prTargetBranch: "main", createPROnCompletion: true, branchNameTemplate: "auto/{{DATE}}" };
    const { config } = parsePlaybookFile(JSON.stringify({ documents: [{ filename: "a" }], worktreeSettings: desktop }));
    expect(JSON.stringify(config.worktreeSettings)).toBe(
      '{"branchNameTemplate":"auto/{{DATE}}","createPROnCompletion":true,"prTargetBranch":"main"}',
    );
    const ours = parsePlaybookFile(
      JSON.stringify({ documents: [{ filename: "a" }], worktreeSettings: { enabled: true, branchName: "x", createPR: false } }),
    );
    expect(ours.config.worktreeSettings).toEqual({ enabled: true, branchName: "x", createPR: false });
  });

  test.each([
    [
      '{"documents":[{"filename":"a"}],"worktreeSettings":{"createPROnCompletion":"yes"}}',
      /worktreeSettings\.createPROnCompletion must be true or false/,
    ],
    ['{"documents":[{"filename":"a"}],"worktreeSettings":"on"}', /worktreeSettings must be an object or null/],
    ['{"documents":[{"filename":"a"}],"prompt":7}', /prompt must be text or null/],
    ['{"documents":[{"filename":"a"}],"assets":["../x"]}', /leads out of the assets folder\. \(at assets\.0\)/],
    ['{"documents":[{"filename":"a"}],"title":5}', /title must be text/],
  ])("%s → a clear error", (text, message) => {
    expect(() => parsePlaybookFile(text)).toThrow(message);
  });

  test("name wins over title, title over nothing; prompt null is empty", () => {
    expect(parsePlaybookFile('{"title":"T","name":"N","documents":[{"filename":"a"}]}').name).toBe("N");
    expect(parsePlaybookFile('{"title":"T","documents":[{"filename":"a"}],"prompt":null}')).toMatchObject({
      name: "T",
      config: { prompt: "" },
    });
  });

  test("a bundle's manifest: desktop's fields in desktop's order, ours only when they say something", () => {
    const config = runConfigSchema.parse({
      documents: [
        { filename: "1_PLAN", resetOnCompletion: false },
        { filename: "sub/2_DO.md", resetOnCompletion: true },
      ],
      loopEnabled: true,
      maxLoops: 2,
      prompt: "P",
      worktreeSettings: { branchNameTemplate: "b", createPROnCompletion: false },
    });
    const manifest = bundleManifest("Nightly", config, 1234);
    expect(Object.keys(manifest)).toEqual([
      "version",
      "name",
      "documents",
      "loopEnabled",
      "maxLoops",
      "prompt",
      "worktreeSettings",
      "exportedAt",
    ]);
    expect(manifest.documents).toEqual([
      { filename: "1_PLAN", resetOnCompletion: false },
      { filename: "sub/2_DO", resetOnCompletion: true },
    ]);
    const plain = bundleManifest(
      "Plain",
      runConfigSchema.parse({ documents: [{ filename: "a.md" }], taskSelectionMode: "document", assets: ["x.png"] }),
      1,
    );
    expect(Object.keys(plain)).toEqual([
      "version",
      "name",
      "documents",
      "loopEnabled",
      "maxLoops",
      "prompt",
      "taskSelectionMode",
      "assets",
      "exportedAt",
    ]);
  });
});
