import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { needsBuild } from "../server/next-build";
import { tempDir } from "../server/testing/harness";
import { buildServer } from "./build-server.mjs";
import { bridgeArgv, bundleFile, manifestFile, serverBundleFresh } from "./server-bundle.mjs";

/**
 * A checkout in miniature: an entry that imports a module two folders down which locates a file
 * from its own folder (as server/services/providers/detect.ts finds bin/), the two bundle
 * scripts, and a `next build`'s BUILD_ID newer than the app's (absent) sources.
 */
let root = "";
beforeAll(async () => {
  root = tempDir();
  fs.mkdirSync(path.join(root, "server", "deep", "er"), { recursive: true });
  fs.mkdirSync(path.join(root, "scripts"));
  fs.mkdirSync(path.join(root, ".next"));
  for (const f of ["build-server.mjs", "server-bundle.mjs"])
    fs.copyFileSync(path.join(import.meta.dirname, f), path.join(root, "scripts", f));
  fs.writeFileSync(
    path.join(root, "server", "deep", "er", "where.ts"),
    `import path from "node:path";\nexport const BIN: string = path.resolve(import.meta.dirname, "../../../bin/x");\nexport const ME: string = import.meta.filename;\n`,
  );
  fs.writeFileSync(
    path.join(root, "server", "main.ts"),
    `import { BIN, ME } from "./deep/er/where";\nconsole.log(JSON.stringify({ BIN, ME }));\n`,
  );
  // Sources older than the builds, as in a checkout (one written in the build's own millisecond counts as changed).
  const past = new Date(Date.now() - 10_000);
  for (const f of ["server/main.ts", "server/deep/er/where.ts", "scripts/build-server.mjs", "scripts/server-bundle.mjs"])
    fs.utimesSync(path.join(root, f), past, past);
  fs.writeFileSync(path.join(root, ".next", "BUILD_ID"), "test");
  await buildServer(root);
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** An edit just after the last build started (as an edit during or after it). */
function editAfterBuild(file: string) {
  const { builtAt } = JSON.parse(fs.readFileSync(manifestFile(root), "utf8")) as { builtAt: number };
  fs.utimesSync(file, new Date(), new Date(builtAt + 1));
}

test("the bundle runs with each module's own folder and file, where the sources are", () => {
  const out = JSON.parse(execFileSync(process.execPath, [bundleFile(root)], { encoding: "utf8" })) as { BIN: string; ME: string };
  expect(out.BIN).toBe(path.join(root, "bin", "x"));
  expect(out.ME).toBe(path.join(root, "server", "deep", "er", "where.ts"));
  // The manifest names what it was made from: the project files it read and the recipe.
  const { inputs } = JSON.parse(fs.readFileSync(manifestFile(root), "utf8")) as { inputs: string[] };
  expect(inputs.sort()).toEqual(["scripts/build-server.mjs", "scripts/server-bundle.mjs", "server/deep/er/where.ts", "server/main.ts"]);
});

test("a fresh bundle is what a production start runs; a dev start runs the sources under tsx", () => {
  expect(serverBundleFresh(root)).toBe(true);
  expect(needsBuild(root)).toBe(false);
  expect(bridgeArgv({ root })).toEqual([bundleFile(root)]);
  expect(bridgeArgv({ root, dev: true })).toEqual(["--import", "tsx", path.join(root, "server", "main.ts")]);
});

test("a server file changed after the build makes the bundle stale: the start falls back to tsx and the build step makes it again", async () => {
  editAfterBuild(path.join(root, "server", "deep", "er", "where.ts"));
  expect(serverBundleFresh(root)).toBe(false);
  expect(needsBuild(root)).toBe(true);
  expect(bridgeArgv({ root })).toEqual(["--import", "tsx", path.join(root, "server", "main.ts")]);
  await buildServer(root);
  expect(serverBundleFresh(root)).toBe(true);
});

test("no bundle (a fresh clone, or `next build` emptied .next/), or a source gone: tsx", async () => {
  fs.renameSync(bundleFile(root), `${bundleFile(root)}.away`);
  expect(serverBundleFresh(root)).toBe(false);
  expect(bridgeArgv({ root })[0]).toBe("--import");
  fs.renameSync(`${bundleFile(root)}.away`, bundleFile(root));
  expect(serverBundleFresh(root)).toBe(true);
  fs.rmSync(path.join(root, "server", "deep", "er", "where.ts"));
  expect(serverBundleFresh(root)).toBe(false);
});
