import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { callerFor, createTestServices, pairedOwner, tempDir } from "../../testing/harness";
import { declareSize, makeZip, renameEntry, snapshot, type ZipInput } from "../../testing/zip";

/**
 * Zips made to attack, each refused whole with a reason, and nothing written: not in the Auto Run
 * folder, not in the project around it, not in the folder around the project, and not at the
 * absolute path a name points to.
 */

const MANIFEST = JSON.stringify({
  version: 1,
  name: "Hostile",
  documents: [{ filename: "plan", resetOnCompletion: false }],
  loopEnabled: false,
});
const PLAN = "- [ ] one\n";
const absolute = path.join(os.tmpdir(), `mz-${process.pid}-abs.md`);
/** What a call that must fail threw. */
async function refusal(call: Promise<unknown>): Promise<Error & { code?: string }> {
  return call.then(
    () => {
      throw new Error("expected a refusal");
    },
    (err: Error & { code?: string }) => err,
  );
}
const base = (extra: ZipInput[]) =>
  makeZip([{ name: "manifest.json", data: MANIFEST }, { name: "documents/plan.md", data: PLAN }, ...extra]);

let services: ReturnType<typeof createTestServices>;
let caller: ReturnType<typeof callerFor>;
let agentId: string;
const root = tempDir("maestro-hostile-");
const project = path.join(root, "project");

beforeAll(async () => {
  services = createTestServices();
  caller = callerFor(services, (await pairedOwner(services)).principal);
  fs.mkdirSync(path.join(project, ".maestro", "playbooks"), { recursive: true });
  fs.writeFileSync(path.join(project, ".maestro", "playbooks", "mine.md"), "- [ ] the user's\n");
  agentId = (await caller.agents.create({ name: "hostile", folder: project, provider: "simulator" })).id;
});
afterAll(async () => {
  await services.cleanup();
  fs.rmSync(root, { recursive: true, force: true });
});

test.each<[string, () => Promise<Buffer>, RegExp]>([
  [
    "a name climbing out of documents/",
    async () =>
      renameEntry(await base([{ name: "documents/xx/xx/evil.md", data: "x" }]), "documents/xx/xx/evil.md", "documents/../../evil.md"),
    /^The zip holds "documents\/\.\.\/\.\.\/evil\.md", a name that leads out of its folder with “\.\.”\. Nothing was imported\.$/,
  ],
  [
    "a name climbing out from the root",
    async () => renameEntry(await base([{ name: "xx/xx/xx/evil.md", data: "x" }]), "xx/xx/xx/evil.md", "../../../evil.md"),
    /leads out of its folder/,
  ],
  [
    "a backslashed climb",
    async () => renameEntry(await base([{ name: "assets/xx/xx/evil.sh", data: "x" }]), "assets/xx/xx/evil.sh", "assets\\..\\..\\evil.sh"),
    /leads out of its folder/,
  ],
  [
    "an absolute name",
    async () => renameEntry(await base([{ name: `x${absolute.slice(1)}`, data: "x" }]), `x${absolute.slice(1)}`, absolute),
    /an absolute path; entries must be relative\. Nothing was imported\.$/,
  ],
  [
    "a 1 GB declared size",
    async () => declareSize(await base([{ name: "documents/big.md", data: "- [ ] small really\n" }]), "documents/big.md", 1024 ** 3),
    /^“documents\/big\.md” declares 1\.0 GB unpacked; the limit is 5\.0 MB\. Nothing was imported\.$/,
  ],
  [
    "an entry that unpacks to more than it declares",
    async () => declareSize(await base([{ name: "documents/liar.md", data: "- [ ] task\n".repeat(500) }]), "documents/liar.md", 10),
    /not a readable zip archive/,
  ],
  [
    "a symlink entry",
    () => base([{ name: "documents/link.md", data: "../../../../etc/passwd", mode: 0o120777 }]),
    /“documents\/link\.md”, a symbolic link; links are never unpacked\. Nothing was imported\.$/,
  ],
  [
    "a corrupt zip",
    async () => Buffer.from("PK\u0003\u0004 this is not really a zip archive at all, just bytes"),
    /^That file is not a readable zip archive \(/,
  ],
  [
    "a zip cut in half",
    async () => (await base([{ name: "assets/a.bin", data: Buffer.alloc(4096, 7) }])).subarray(0, 200),
    /not a readable zip archive/,
  ],
  [
    "damaged compressed data",
    async () => {
      const zip = await base([{ name: "documents/z.md", data: "- [ ] ".repeat(2000) }]);
      const at = zip.indexOf("documents/z.md") + "documents/z.md".length + 40;
      zip.fill(0xff, at, at + 20);
      return zip;
    },
    /not a readable zip archive/,
  ],
  [
    "too many entries",
    () => base(Array.from({ length: 500 }, (_, i) => ({ name: `assets/f${i}.txt`, data: "" }))),
    /^That zip holds 502 entries; a playbook bundle holds 500 at most\. Nothing was imported\.$/,
  ],
  ["a zip without a manifest", () => makeZip([{ name: "documents/plan.md", data: PLAN }]), /has no manifest\.json at its root/],
  [
    "a manifest that is not a playbook",
    () => makeZip([{ name: "manifest.json", data: '{"documents":[{"filename":"/etc/passwd"}]}' }]),
    /^In the zip's manifest\.json: Not a valid playbook: A document filename must be relative/,
  ],
  [
    "a document that is not text",
    () => base([{ name: "documents/bin.md", data: Buffer.from([0xff, 0xfe, 0x00, 0xc3]) }]),
    /“documents\/bin\.md” is not UTF-8 text/,
  ],
])("%s is refused with a clear error, and nothing is written anywhere", async (_name, make, message) => {
  const zip = await make();
  const before = snapshot(root);
  const count = await services.db.playbook.count();
  const err = await refusal(caller.playbooks.importZip({ agentId, zip: zip.toString("base64") }));
  expect(err).toBeInstanceOf(Error);
  expect(err).toMatchObject({ code: "BAD_REQUEST" });
  expect(err.message).toMatch(message);
  expect(snapshot(root)).toEqual(before);
  expect(fs.existsSync(absolute)).toBe(false);
  expect(fs.existsSync(path.join(os.tmpdir(), "evil.md"))).toBe(false);
  expect(await services.db.playbook.count()).toBe(count);
});

test("a well-formed zip through the same path is accepted (the refusals above are about their one flaw)", async () => {
  const ok = await caller.playbooks.importZip({ agentId, zip: (await base([{ name: "assets/ok.txt", data: "fine" }])).toString("base64") });
  expect(ok).toMatchObject({ kind: "playbook", name: "Hostile", written: ["plan.md", "assets/ok.txt"], missing: [] });
});

test("a zip over the upload limit is refused by the input check", async () => {
  const err = await refusal(caller.playbooks.importZip({ agentId, zip: "A".repeat(28 * 1024 * 1024) }));
  expect(err.message).toMatch(/That zip is too large \(20 MB at most\)/);
});
