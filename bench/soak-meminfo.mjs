// Loaded into the bridge by bench/soak.ts (`node --import`): writes the bridge's own
// process.memoryUsage() to $SOAK_MEMFILE every second, so the soak can say what its RSS is made of.
import fs from "node:fs";

const file = process.env.SOAK_MEMFILE;
if (file)
  setInterval(() => {
    const m = process.memoryUsage();
    fs.writeFileSync(file, JSON.stringify({ at: Date.now(), ...m }));
  }, 1000).unref();
