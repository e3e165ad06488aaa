import { describe, expect, test } from "vitest";
import {
  checkExchangeUrl,
  DEFAULT_EXCHANGE_URL,
  exchangeBase,
  filterEntries,
  importFolder,
  mergeManifests,
  registryFileUrl,
  registrySegments,
  type ExchangeEntry,
} from "./exchange";

describe("addresses", () => {
  test("the base is the manifest's folder, as desktop's GITHUB_RAW_BASE", () => {
    expect(exchangeBase(DEFAULT_EXCHANGE_URL)).toBe("https://raw.githubusercontent.com/RunMaestro/Maestro-Playbooks/main");
    expect(exchangeBase("http://127.0.0.1:9/a/b/manifest.json?x=1")).toBe("http://127.0.0.1:9/a/b");
    expect(exchangeBase("https://mirror.example/manifest.json")).toBe("https://mirror.example");
  });

  test("each part of a file's address is encoded, so a name cannot reach another folder or site", () => {
    const base = "https://raw.githubusercontent.com/RunMaestro/Maestro-Playbooks/main";
    expect(registryFileUrl(base, "Development/Security", "1_ANALYZE.md")).toBe(`${base}/Development/Security/1_ANALYZE.md`);
    expect(registryFileUrl(base, "Research/Market", "assets/img/a b#?.png")).toBe(`${base}/Research/Market/assets/img/a%20b%23%3F.png`);
    expect(() => registryFileUrl(base, "A", "../manifest.json")).toThrow("leads out of the registry");
  });

  test.each([
    ["Development/Security", true],
    ["Development/Security/", true],
    ["../etc", false],
    ["A/../../etc", false],
    ["/etc", false],
    ["~/x", false],
    ["C:\\x", false],
    ["A\\..\\B", false],
    ["https://evil.example/x", false],
    ["//evil.example/x", false],
    ["A//B", false],
    ["./A", false],
    ["", false],
  ])("registry path %j → %s", (p, ok) => {
    expect(registrySegments(p).ok).toBe(ok);
  });

  test.each([
    ["https://example.com/manifest.json", "https://example.com/manifest.json"],
    ["  http://127.0.0.1:8080/m.json#frag ", "http://127.0.0.1:8080/m.json"],
    ["ftp://example.com/m.json", null],
    ["javascript:alert(1)", null],
    ["https://u:p@example.com/m.json", null],
    ["example.com/manifest.json", null],
    ["", null],
  ])("the Exchange URL %j", (input, url) => {
    const check = checkExchangeUrl(input);
    expect(check.ok ? check.url : null).toBe(url);
  });
});

test.each([
  ["Development", "Security Audit", "development/security-audit"],
  ["Research", "Market Research", "research/market-research"],
  ["C++ / Tools", "  Lint!  ", "c/tools/lint"],
  [null, "Solo", "solo"],
  ["", "***", "playbook"],
])("import folder of %j / %j is %j (desktop's category/title slug)", (category, title, folder) => {
  expect(importFolder(category, title)).toBe(folder);
});

test("desktop's merge: local overrides by id, unknown local ids append, entries without an id are named", () => {
  const official = [{ id: "a", title: "A" }, { id: "b", title: "B" }, { title: "no id" }, { id: "c", title: "C" }];
  const local = [{ id: "b", title: "B mine" }, { id: "d", title: "D" }, { title: "nameless" }];
  const { merged, skipped } = mergeManifests(official, local);
  expect(merged.map((m) => [m.raw.title, m.source])).toEqual([
    ["A", "official"],
    ["B mine", "local"],
    ["C", "official"],
    ["D", "local"],
  ]);
  expect(skipped).toEqual(["local-manifest.json entry 3: it has no id", "entry 3 of the Exchange: it has no id"]);
});

test("search: every word in the title, description, tags, author or category; the category chip narrows", () => {
  const e = (key: string, over: Partial<ExchangeEntry>): ExchangeEntry => ({
    key,
    name: key,
    description: "",
    category: "Development",
    author: null,
    documents: 1,
    source: "official",
    subcategory: null,
    authorLink: null,
    tags: [],
    lastUpdated: null,
    documentNames: ["1.md"],
    assets: 0,
    loopEnabled: false,
    maxLoops: null,
    folder: key,
    ...over,
  });
  const all = [
    e("Security Audit", { tags: ["owasp"] }),
    e("Market Research", { category: "Research", description: "Builds a knowledge vault" }),
    e("Test Coverage", { author: "Pedram Amini" }),
  ];
  const keys = (f: Parameters<typeof filterEntries>[1]) => filterEntries(all, f).map((x) => x.key);
  expect(keys({ query: "OWASP" })).toEqual(["Security Audit"]);
  expect(keys({ query: "knowledge vault" })).toEqual(["Market Research"]);
  expect(keys({ query: "pedram" })).toEqual(["Test Coverage"]);
  expect(keys({ category: "Development" })).toEqual(["Security Audit", "Test Coverage"]);
  expect(keys({ category: "Research", query: "audit" })).toEqual([]);
  expect(keys({})).toHaveLength(3);
});
