import { describe, expect, test } from "vitest";
import { assetsFolderFor, bundleFileName, checkAssetPath, checkEntryName, classifyEntry, entryFileType } from "./bundle-rules";
import { markdownName, withoutMarkdownExt } from "./documents";

describe("zip entry names", () => {
  test.each([
    ["manifest.json", "manifest.json"],
    ["documents/sub/1_PLAN.md", "documents/sub/1_PLAN.md"],
    ["documents\\win.md", "documents/win.md"],
    ["assets/..v2/x", "assets/..v2/x"],
  ])("%s is a name", (name, path) => {
    expect(checkEntryName(name)).toEqual({ ok: true, path });
  });

  test.each([
    ["../evil.md", /leads out of its folder/],
    ["documents/../../evil.md", /leads out of its folder/],
    ["documents\\..\\..\\evil.md", /leads out of its folder/],
    ["/etc/cron.d/evil", /absolute path/],
    ["\\\\server\\share\\x", /absolute path/],
    ["C:/Windows/evil.dll", /absolute path/],
    ["c:evil", /absolute path/],
    ["documents/a\u0000.md", /control character/],
    ["", /without a name/],
    ["x".repeat(1001), /over 1000 characters/],
  ])("%j is refused", (name, message) => {
    const check = checkEntryName(name);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.message).toMatch(message);
  });
});

describe("desktop's layout", () => {
  test.each([
    ["manifest.json", { kind: "manifest" }],
    ["documents/1_PLAN.md", { kind: "document", path: "1_PLAN.md" }],
    ["documents/sub/2_DO.md", { kind: "document", path: "sub/2_DO.md" }],
    ["documents/notes.txt", { kind: "ignored" }],
    ["documents/", { kind: "ignored" }],
    ["assets/diagram.png", { kind: "asset", path: "diagram.png" }],
    ["assets/img/a.svg", { kind: "asset", path: "img/a.svg" }],
    ["assets/.env.example", { kind: "asset", path: ".env.example" }],
    ["__MACOSX/documents/._1_PLAN.md", { kind: "ignored" }],
    ["assets/.DS_Store", { kind: "ignored" }],
    ["README.md", { kind: "ignored" }],
    ["sub/manifest.json", { kind: "ignored" }],
  ])("%s → %j", (name, kind) => {
    expect(classifyEntry(name)).toEqual(kind);
  });

  test.each([
    ["documents/what?.md", /Names cannot contain “\?”/],
    ["documents/ spaced.md", /start or end with a space/],
    ["assets/a|b.png", /character file systems refuse/],
  ])("%s is refused with the reason", (name, message) => {
    const kind = classifyEntry(name);
    expect(kind.kind).toBe("refused");
    if (kind.kind === "refused") expect(kind.message).toMatch(message);
  });

  test("asset paths stay in the assets folder", () => {
    expect(checkAssetPath("config.yaml")).toEqual({ ok: true, path: "config.yaml" });
    expect(checkAssetPath("../x").ok).toBe(false);
    expect(checkAssetPath("a//b").ok).toBe(false);
    expect(checkAssetPath("/abs").ok).toBe(false);
    expect(checkAssetPath(" x").ok).toBe(false);
  });

  test("assets live beside the first document; names and the download as desktop writes them", () => {
    expect(assetsFolderFor("1_PLAN")).toBe("assets");
    expect(assetsFolderFor("team/sprint/1_PLAN.md")).toBe("team/sprint/assets");
    expect(assetsFolderFor(undefined)).toBe("assets");
    expect(markdownName("1_PLAN")).toBe("1_PLAN.md");
    expect(markdownName("a.MD")).toBe("a.MD");
    expect(withoutMarkdownExt("sub/a.md")).toBe("sub/a");
    expect(bundleFileName("Nightly run: v2")).toBe("Nightly_run__v2.maestro-playbook.zip");
  });
});

describe("entry types from the central directory", () => {
  const unix = 3 << 8;
  test.each([
    [unix, 0o100644 << 16, "a.md", "file"],
    [unix, 0o040755 << 16, "dir/", "folder"],
    [unix, 0o120777 << 16, "link.md", "symlink"],
    [19 << 8, 0o120755 << 16, "mac-link", "symlink"],
    [unix, 0o010644 << 16, "fifo", "special"],
    [unix, 0o020644 << 16, "chardev", "special"],
    [unix, 0, "no-mode", "file"],
    [0, 0x10, "DOSDIR", "folder"],
    [0, 0x20, "dos.md", "file"],
  ])("made by %i, attributes %i, %s → %s", (madeBy, attrs, name, type) => {
    expect(entryFileType(madeBy, attrs >>> 0, name)).toBe(type);
  });
});
