import { acquireLock, releaseLock } from "../data-lock";

// A real second process for the lock tests: takes the lock, says what happened, holds it for the
// given milliseconds, then releases it.
const [dataDir, holdMs] = process.argv.slice(2);
const result = acquireLock(dataDir!, "headless");
process.stdout.write(`${JSON.stringify(result.ok ? { ok: true, pid: process.pid } : { ok: false, holder: result.holder.pid })}\n`);
if (result.ok) setTimeout(() => releaseLock(dataDir!, result.lock), Number(holdMs ?? 0));
