/**
 * Zod 4 speeds up object parsing by compiling validators with `new Function`, after probing
 * whether eval is allowed when an object schema is built. Our Content-Security-Policy forbids
 * eval, and browsers report even the caught probe as a violation, so in the browser zod runs
 * without the JIT. This is `z.config({ jitless: true })` without importing zod (which would put
 * all of zod in the first-load JavaScript): zod 4 keeps its config on this global and adopts an
 * existing one (zod-jitless.test.ts checks that against the installed zod). Imported first by
 * the client root, before any module builds a schema.
 */
const scope = globalThis as { __zod_globalConfig?: Record<string, unknown> };
scope.__zod_globalConfig = Object.assign(scope.__zod_globalConfig ?? {}, { jitless: true });

export {};
