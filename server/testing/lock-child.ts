import { acquireLock, releaseLock } from "../data-lock";

// A real second process for the lock tests: takes the lock, says what happened, holds it for the
// given milliseconds, then releases it.
const [dataDir, holdMs] = process.argv.slice(2);
let result: ReturnType<typeof acquireLock>;
try {
  result = acquireLock(dataDir!, "headless");
} catch (err) {
  process.stdout.write(`${JSON.stringify({ ok: false, error: (err as Error).message })}\n`);
  process.exit(1);
}
process.stdout.write(`${JSON.stringify(result.ok ? { ok: true, pid: process.pid } : { ok: false, holder: result.holder.pid })}\n`);
if (result.ok) setTimeout(() => releaseLock(dataDir!, result.lock), Number(holdMs ?? 0));
