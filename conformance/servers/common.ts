/**
 * Plumbing shared by the scripted model servers: an HTTP server on 127.0.0.1 with an ephemeral
 * port that records every request, a queue of scripted model replies, and SSE helpers.
 *
 * A "main" request (one the CLI makes to run the conversation) takes the next step of the
 * script; side requests (title generation, token counting, telemetry…) are answered by each
 * server without touching the script. Anything unexpected (an exhausted script, a missing
 * file-writing tool, an unknown endpoint) is written to `problems`, which the tests assert is
 * empty, and answered harmlessly so the CLI never sits in a retry loop.
 */
import http from "node:http";

/** Usage a reply reports; fixed by the script so parsed usage and cost can be asserted exactly. */
export interface Usage {
  input: number;
  output: number;
  cacheRead?: number;
  cacheWrite?: number;
}

export type Step =
  /** Answer with this text and end the turn. */
  | { text: string; usage?: Usage }
  /**
   * Call the CLI's file-writing tool (found in the request's tool list) to write `content` to
   * `path` (absolute), optionally with some text before the call. The CLI runs the tool and
   * sends its result in the next request, which takes the next step.
   */
  | { writeFile: { path: string; content: string }; text?: string; usage?: Usage }
  /**
   * Call this tool (it must be in the request's tool list) with this input (Anthropic only): for
   * Bash, AskUserQuestion and the like. The next request carries its result (or its denial).
   */
  | { toolUse: { name: string; input: Record<string, unknown> }; text?: string; usage?: Usage };

export const DEFAULT_USAGE: Usage = { input: 100, output: 20 };

export interface RecordedRequest {
  /** Order of arrival, from 1. */
  n: number;
  method: string;
  /** Path and query. */
  url: string;
  headers: http.IncomingHttpHeaders;
  /** The JSON body, or the raw text when it is not JSON. */
  body: unknown;
  /** What the server took it for: "main" (a script step), or a side request's kind. */
  kind: string;
  /** The script step it answered (main requests). */
  step?: Step;
  /** The tool call it answered with (main requests answering with a tool call). */
  toolCall?: { name: string; callId: string; arguments: unknown };
}

export interface HandlerContext {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  record: RecordedRequest;
  url: URL;
  body: any;
  /** Takes the next script step (or undefined, with a problem recorded, if the script is empty). */
  nextStep(): Step | undefined;
  problem(text: string): void;
  /** A fresh id with a prefix, unique within this server. */
  id(prefix: string): string;
}

export interface ScriptedServer {
  url: string;
  port: number;
  requests: RecordedRequest[];
  /** Requests that took a script step, in order. */
  readonly mainRequests: RecordedRequest[];
  /** Everything that went off-script: must stay empty in a passing test. */
  problems: string[];
  /** Adds steps to the end of the script. */
  script(...steps: Step[]): void;
  /** Steps not taken yet. */
  pending(): number;
  /** Drops the steps not taken (left by a turn that failed early); returns how many. */
  clearScript(): number;
  close(): Promise<void>;
}

export async function startScriptedServer(name: string, handle: (ctx: HandlerContext) => void | Promise<void>): Promise<ScriptedServer> {
  const queue: Step[] = [];
  const requests: RecordedRequest[] = [];
  const problems: string[] = [];
  let ids = 0;

  // Errors inside are recorded in `problems` and answered with a 500, never thrown.
  const server = http.createServer(
    (req, res) =>
      void (async () => {
        const chunks: Buffer[] = [];
        for await (const c of req) chunks.push(c as Buffer);
        const raw = Buffer.concat(chunks).toString("utf8");
        let body: unknown = raw;
        try {
          body = raw ? JSON.parse(raw) : undefined;
        } catch {
          /* keep the text */
        }
        const record: RecordedRequest = {
          n: requests.length + 1,
          method: req.method ?? "GET",
          url: req.url ?? "/",
          headers: req.headers,
          body,
          kind: "unknown",
        };
        requests.push(record);
        const ctx: HandlerContext = {
          req,
          res,
          record,
          url: new URL(req.url ?? "/", "http://127.0.0.1"),
          body: body as any,
          nextStep() {
            record.kind = "main";
            const step = queue.shift();
            if (!step) problems.push(`${name}: request #${record.n} ${record.method} ${record.url} arrived with the script exhausted`);
            record.step = step;
            return step;
          },
          problem(text) {
            problems.push(`${name}: request #${record.n} ${record.method} ${record.url}: ${text}`);
          },
          id(prefix) {
            ids += 1;
            return `${prefix}${String(ids).padStart(4, "0")}`;
          },
        };
        try {
          await handle(ctx);
        } catch (err) {
          problems.push(`${name}: request #${record.n} ${record.url}: handler threw ${(err as Error).stack ?? String(err)}`);
          if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
          res.end(JSON.stringify({ error: { message: String(err) } }));
        }
      })(),
  );
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    get mainRequests() {
      return requests.filter((r) => r.kind === "main");
    },
    problems,
    script(...steps) {
      queue.push(...steps);
    },
    pending: () => queue.length,
    clearScript: () => queue.splice(0).length,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export function json(res: http.ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

/** Starts an SSE response; `send(data, event?)` writes one event, `end()` finishes it. */
export function sse(res: http.ServerResponse) {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
  return {
    send(data: unknown, event?: string) {
      res.write(`${event ? `event: ${event}\n` : ""}data: ${typeof data === "string" ? data : JSON.stringify(data)}\n\n`);
    },
    end() {
      res.end();
    },
  };
}

/** Splits a text into a few chunks, so streaming is exercised (the CLI must join them). */
export function chunks(text: string): string[] {
  if (text.length < 8) return [text];
  const a = Math.floor(text.length / 3);
  const b = Math.floor((2 * text.length) / 3);
  return [text.slice(0, a), text.slice(a, b), text.slice(b)];
}

/** Every string anywhere inside a JSON value, joined: for "did the server see X" assertions. */
export function allText(v: unknown): string {
  const out: string[] = [];
  const walk = (x: unknown) => {
    if (typeof x === "string") out.push(x);
    else if (Array.isArray(x)) x.forEach(walk);
    else if (x && typeof x === "object") Object.values(x).forEach(walk);
  };
  walk(v);
  return out.join("\n");
}

/**
 * The text of a message's content in any of the APIs' shapes: a string, or blocks/parts whose
 * `text` (or string `content`) is the text; type tags and ids are left out.
 */
export function messageText(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map(messageText).filter(Boolean).join("\n");
  if (content && typeof content === "object") {
    const o = content as Record<string, unknown>;
    if (typeof o.text === "string") return o.text;
    if ("content" in o) return messageText(o.content);
    if ("parts" in o) return messageText(o.parts);
  }
  return "";
}
