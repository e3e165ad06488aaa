import http from "node:http";

/** What the fake registry answers for a path: a body, or a status, a redirect, or silence. */
export type RegistryReply = string | Buffer | { status: number } | { redirect: string } | { hang: true } | { chunked: Buffer };

/**
 * A playbook registry on 127.0.0.1 (random port), laid out as RunMaestro/Maestro-Playbooks is:
 * `/main/manifest.json`, `/main/<path>/<file>.md`, `/main/<path>/assets/<asset>`. Files are
 * keyed by their path below `/main/`. Used by the Exchange's tests and its e2e spec.
 */
export async function startRegistry(files: Record<string, RegistryReply>) {
  const served = new Map(Object.entries(files));
  const requests: string[] = [];
  const sockets = new Set<import("node:net").Socket>();
  const server = http.createServer((req, res) => {
    const url = decodeURIComponent((req.url ?? "/").split("?")[0]!);
    requests.push(url);
    const reply = url.startsWith("/main/") ? served.get(url.slice("/main/".length)) : undefined;
    if (reply === undefined) {
      res.writeHead(404, { "content-type": "text/plain" }).end("404: Not Found");
    } else if (typeof reply === "string" || Buffer.isBuffer(reply)) {
      const body = Buffer.from(reply);
      res.writeHead(200, { "content-type": "text/plain; charset=utf-8", "content-length": body.length }).end(body);
    } else if ("status" in reply) {
      res.writeHead(reply.status).end();
    } else if ("redirect" in reply) {
      res.writeHead(302, { location: reply.redirect }).end();
    } else if ("chunked" in reply) {
      // No content-length: the size is only known by reading.
      res.writeHead(200, { "content-type": "text/plain" });
      for (let i = 0; i < reply.chunked.length; i += 64 * 1024) res.write(reply.chunked.subarray(i, i + 64 * 1024));
      res.end();
    }
    // { hang: true }: never answer.
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as import("node:net").AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    port,
    url: `${origin}/main/manifest.json`,
    requests,
    set(file: string, reply: RegistryReply) {
      served.set(file, reply);
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as import("node:net").AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
