/**
 * `npm run doctor` / `maestro doctor [--json]`: the data dir, lock, bridge, version and CLI token
 * checks (server/cli/doctor-checks.ts), then which agent CLIs are installed and how to get the
 * rest. Exits 1 when a check failed.
 */
import { resolveDataDir } from "../env";
import { runDoctor } from "./doctor-checks";

const json = process.argv.includes("--json");
const report = await runDoctor(resolveDataDir());
const failed = report.checks.filter((c) => !c.ok).length;
if (json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
else {
  console.log(`Maestro ${report.version}`);
  for (const c of report.checks) {
    console.log(`${c.ok ? "✓" : "✗"} ${c.name.padEnd(10)}  ${c.detail}`);
    if (c.hint) console.log(`  ${" ".repeat(10)}  → ${c.hint}`);
  }
  console.log("\nAgent CLIs:");
  const found = report.providers;
  const width = Math.max(...found.map((p) => p.label.length));
  for (const p of found) {
    const mark = p.installed ? "✓" : "✗";
    const detail = p.installed ? `${p.version ?? "unknown version"}  ${p.path}` : "not installed";
    console.log(`${mark} ${p.label.padEnd(width)}  ${detail}`);
    for (const note of p.notes) console.log(`  ${" ".repeat(width)}  → ${note}`);
  }
  const missing = found.filter((p) => !p.installed).length;
  console.log(
    missing === found.length - 1
      ? "\nNo agent CLI found yet: the built-in simulator works without one. Install any of the above to use a real model."
      : `\n${found.length - missing} of ${found.length} providers available.`,
  );
}
process.exitCode = failed ? 1 : 0;
