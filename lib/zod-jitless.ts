import { config } from "zod/v4/core";

/**
 * Zod 4 speeds up object parsing by compiling validators with `new Function`, after probing
 * whether eval is allowed. Our Content-Security-Policy forbids eval, and browsers report even
 * the caught probe as a violation, so in the browser zod runs without the JIT. Imported once,
 * by the client root, before anything parses.
 */
config({ jitless: true });
