/** `npm run doctor`: which agent CLIs are installed, their versions, and how to get the rest. */
import { readServicesEnv } from "../env";
import { detectProviders } from "../services/providers/detect";

const found = await detectProviders({ envPath: readServicesEnv().path });
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
