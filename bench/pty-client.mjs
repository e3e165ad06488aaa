// The headless terminal client of bench/pty.ts, in its own process (as a phone would be).
// argv: ws-url cookie origin mode arg
//   mode "cat": types `cat <arg>` and counts output bytes until the marker line appears;
//               prints {"ms", "bytes"} from the keystroke to the marker.
//   mode "echo": types <arg> single keystrokes one at a time, each after the previous echo;
//               prints {"latencies": [ms…]}.
import { WebSocket } from "ws";

const [url, cookie, origin, mode, arg] = process.argv.slice(2);
const ws = new WebSocket(url, { headers: { cookie, origin }, perMessageDeflate: false });
const type = (s) => ws.send(Buffer.from(s), { binary: true });
let onData = () => {};
ws.on("message", (data, isBinary) => isBinary && onData(data));
await new Promise((resolve, reject) => {
  ws.once("open", resolve);
  ws.once("error", reject);
});
// Let the prompt and the scrollback arrive, then start clean.
await new Promise((r) => setTimeout(r, 300));

if (mode === "cat") {
  const marker = "pty-bench-done";
  let bytes = 0;
  let tail = "";
  const t0 = performance.now();
  await new Promise((resolve) => {
    onData = (d) => {
      bytes += d.length;
      tail = (tail + d.subarray(-64).toString("latin1")).slice(-64);
      // the marker as printed, not as echoed (the echo has the quotes)
      if (tail.includes(`${marker}\r\n`)) resolve();
    };
    type(`cat ${arg}; echo ${marker.slice(0, 4)}''${marker.slice(4)}\r`);
  });
  console.log(JSON.stringify({ ms: performance.now() - t0, bytes }));
} else {
  const latencies = [];
  for (let i = 0; i < Number(arg); i++) {
    const ch = "abcdefghij"[i % 10];
    const t0 = performance.now();
    await new Promise((resolve) => {
      onData = (d) => d.includes(ch) && resolve();
      type(ch);
    });
    latencies.push(performance.now() - t0);
    if (i % 50 === 49) {
      type("\x15"); // Ctrl-U: clear the line
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  console.log(JSON.stringify({ latencies }));
}
ws.close();
