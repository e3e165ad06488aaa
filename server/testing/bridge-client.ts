import { freshPairingUrl } from "../../e2e/bridge-process";

/**
 * A paired tRPC client for a real bridge process (tests that kill and restart it): pairs through
 * the real pairing endpoint, then calls procedures with the owner's cookie over plain HTTP.
 */
export async function pairedBridgeClient(dataDir: string, base: string, deviceName: string) {
  const token = freshPairingUrl(dataDir, base).split("#token=")[1]!;
  const res = await fetch(`${base}/api/auth/pair`, {
    method: "POST",
    headers: { origin: base, "content-type": "application/json" },
    body: JSON.stringify({ token, deviceName }),
  });
  if (res.status !== 200) throw new Error(`pairing failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.get("set-cookie")!.split(";")[0]!;
  const call = async (kind: "query" | "mutation", p: string, input: unknown) => {
    const r =
      kind === "query"
        ? await fetch(`${base}/api/trpc/${p}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`, { headers: { cookie } })
        : await fetch(`${base}/api/trpc/${p}`, {
            method: "POST",
            headers: { cookie, origin: base, "content-type": "application/json" },
            body: JSON.stringify({ json: input }),
          });
    const body = await r.json();
    if (!r.ok) throw new Error(`${p}: ${r.status} ${JSON.stringify(body)}`);
    return body.result.data.json;
  };
  return {
    query: (p: string, input: unknown) => call("query", p, input),
    mutate: (p: string, input: unknown) => call("mutation", p, input),
  };
}
