// Loaded into the bridge by bench/soak.ts (`node --import`): writes the bridge's own
// process.memoryUsage() to $SOAK_MEMFILE every second, so the soak can say what its RSS is made of,
// with `liveHeap`: the heap used just after the latest full (mark-compact) GC, which is what the
// bridge really keeps (heapUsed between two full GCs includes garbage not yet collected).
import fs from "node:fs";
import { PerformanceObserver, constants } from "node:perf_hooks";

const file = process.env.SOAK_MEMFILE;
let liveHeap = null;
let majorGcs = 0;
if (file) {
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries())
      if (entry.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
        majorGcs++;
        liveHeap = process.memoryUsage().heapUsed;
      }
  }).observe({ entryTypes: ["gc"] });
  setInterval(() => {
    const m = process.memoryUsage();
    fs.writeFileSync(file, JSON.stringify({ at: Date.now(), ...m, liveHeap, majorGcs }));
  }, 1000).unref();
}
