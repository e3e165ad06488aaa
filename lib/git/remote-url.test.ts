import { describe, expect, test } from "vitest";
import { compareUrl, parseRemoteUrl } from "./remote-url";

describe("parseRemoteUrl", () => {
  test.each([
    ["https://github.com/acme/app.git", "github", "github.com", "acme/app", "https://github.com/acme/app.git"],
    ["https://user:s3cret@github.com/acme/app.git", "github", "github.com", "acme/app", "https://github.com/acme/app.git"],
    ["https://x-access-token:ghp_abc@github.com/acme/app", "github", "github.com", "acme/app", "https://github.com/acme/app"],
    ["git@github.com:acme/app.git", "github", "github.com", "acme/app", "github.com:acme/app.git"],
    ["ssh://git@github.com/acme/app.git", "github", "github.com", "acme/app", "ssh://github.com/acme/app.git"],
    ["ssh://git@ssh.github.com:443/acme/app.git", "github", "ssh.github.com", "acme/app", "ssh://ssh.github.com:443/acme/app.git"],
    ["git@gitlab.com:group/sub/app.git", "gitlab", "gitlab.com", "group/sub/app", "gitlab.com:group/sub/app.git"],
    ["https://gitlab.example.org/team/app.git", "gitlab", "gitlab.example.org", "team/app", "https://gitlab.example.org/team/app.git"],
    ["git@bitbucket.org:acme/app.git", "bitbucket", "bitbucket.org", "acme/app", "bitbucket.org:acme/app.git"],
    ["https://git.example.com/acme/app.git", "other", "git.example.com", "acme/app", "https://git.example.com/acme/app.git"],
    ["/srv/git/app.git", "local", null, null, "/srv/git/app.git"],
    ["../app.git", "local", null, null, "../app.git"],
    ["file:///srv/git/app.git", "local", null, null, "file:///srv/git/app.git"],
  ])("%s", (url, kind, host, repoPath, display) => {
    expect(parseRemoteUrl(url)).toEqual({ kind, host, repoPath, display });
  });

  test("a URL whose path does not name owner/repo has no repository", () => {
    expect(parseRemoteUrl("https://github.com/app.git").repoPath).toBeNull();
    expect(parseRemoteUrl("https://github.com/acme/../app.git").repoPath).toBeNull();
  });
});

describe("compareUrl", () => {
  test.each([
    ["https://github.com/acme/app.git", "https://github.com/acme/app/compare/main...feature/login?expand=1"],
    ["git@github.com:acme/app.git", "https://github.com/acme/app/compare/main...feature/login?expand=1"],
    ["https://tok:en@github.com/acme/app", "https://github.com/acme/app/compare/main...feature/login?expand=1"],
    [
      "git@gitlab.com:group/sub/app.git",
      "https://gitlab.com/group/sub/app/-/merge_requests/new?merge_request[source_branch]=feature%2Flogin&merge_request[target_branch]=main",
    ],
    ["ssh://git@bitbucket.org/acme/app.git", "https://bitbucket.org/acme/app/pull-requests/new?source=feature%2Flogin&dest=main"],
  ])("%s", (remote, url) => {
    expect(compareUrl(remote, "main", "feature/login")).toEqual({ url });
  });

  test("branch names are URL-encoded, so a name cannot add a query or a fragment", () => {
    expect(compareUrl("https://github.com/acme/app.git", "main", "fix#1&x=y")).toEqual({
      url: "https://github.com/acme/app/compare/main...fix%231%26x%3Dy?expand=1",
    });
  });

  test.each([
    ["/srv/git/app.git", /folder on this machine/],
    ["https://git.example.com/acme/app.git", /does not know how to open a pull request on git\.example\.com/],
    ["https://github.com/app", /does not name a repository/],
  ])("%s → no URL, with the reason", (remote, reason) => {
    const r = compareUrl(remote, "main", "x");
    expect(r.url).toBeNull();
    expect("reason" in r ? r.reason : "").toMatch(reason);
  });
});
