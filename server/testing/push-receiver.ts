import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import https from "node:https";
import path from "node:path";
import { tempDir } from "./harness";

/**
 * A local stand-in for a browser's push service (FCM, Mozilla autopush, Apple) that checks what
 * a real one checks and decrypts what only the browser could: it holds each subscription's
 * private key, as the browser does, and undoes RFC 8291 (Web Push encryption) over RFC 8188
 * (aes128gcm) by hand with node:crypto. A payload that arrives here decoded is a payload a
 * phone would show.
 */

export interface BrowserSubscription {
  /** The receiver's id for it (the last path segment of its endpoint). */
  id: string;
  /** What `PushSubscription.toJSON()` gives in a browser. */
  json: { endpoint: string; keys: { p256dh: string; auth: string } };
}

export interface Delivery {
  id: string;
  /** What the receiver answered. */
  status: number;
  /** The decrypted payload, parsed as JSON. */
  payload: unknown;
  headers: { ttl: number; urgency: string | null };
  /** The VAPID JWT claims. */
  claims: { aud: string; exp: number; sub: string };
}

const b64u = (buf: Buffer) => buf.toString("base64url");

/** HKDF (RFC 5869) spelled out, because the point is to check the sender step by step. */
function hkdfExtract(salt: Buffer, ikm: Buffer): Buffer {
  return crypto.createHmac("sha256", salt).update(ikm).digest();
}
function hkdfExpand(prk: Buffer, info: Buffer, length: number): Buffer {
  // Every length used here is ≤ 32 bytes: one HMAC block (T(1)) suffices.
  return crypto
    .createHmac("sha256", prk)
    .update(Buffer.concat([info, Buffer.from([1])]))
    .digest()
    .subarray(0, length);
}

/** Undoes RFC 8291 §3.4 + RFC 8188 §2 for one message; throws on anything malformed. */
export function decryptAes128gcm(body: Buffer, receiver: crypto.ECDH, authSecret: Buffer): Buffer {
  if (body.length < 21) throw new Error("body shorter than the aes128gcm header");
  const salt = body.subarray(0, 16);
  const rs = body.readUInt32BE(16);
  const idlen = body[20]!;
  const asPublic = body.subarray(21, 21 + idlen);
  if (idlen !== 65 || asPublic[0] !== 4) throw new Error(`keyid must be the sender's 65-byte P-256 key, got ${idlen} bytes`);
  if (rs < 18) throw new Error(`record size ${rs} too small`);

  const uaPublic = receiver.getPublicKey();
  const ecdhSecret = receiver.computeSecret(asPublic);
  // RFC 8291 §3.3-3.4: mix in the auth secret and both public keys.
  const keyInfo = Buffer.concat([Buffer.from("WebPush: info\0"), uaPublic, asPublic]);
  const ikm = hkdfExpand(hkdfExtract(authSecret, ecdhSecret), keyInfo, 32);
  // RFC 8188 §2.2-2.3: content key and nonce from the salt.
  const prk = hkdfExtract(salt, ikm);
  const cek = hkdfExpand(prk, Buffer.from("Content-Encoding: aes128gcm\0"), 16);
  const baseNonce = hkdfExpand(prk, Buffer.from("Content-Encoding: nonce\0"), 12);

  const records: Buffer[] = [];
  const content = body.subarray(21 + idlen);
  if (content.length === 0) throw new Error("no records");
  for (let offset = 0, seq = 0; offset < content.length; offset += rs, seq++) {
    const record = content.subarray(offset, offset + rs);
    const last = offset + rs >= content.length;
    const nonce = Buffer.from(baseNonce);
    // The record sequence number is XORed into the nonce's low bits (RFC 8188 §2.3); a
    // sequence below 2^32 touches only the last four bytes.
    nonce.writeUInt32BE((nonce.readUInt32BE(8) ^ seq) >>> 0, 8);
    const decipher = crypto.createDecipheriv("aes-128-gcm", cek, nonce);
    decipher.setAuthTag(record.subarray(record.length - 16));
    const plain = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
    // Padding: data, then one delimiter (2 = last record, 1 = more follow), then zeros.
    let end = plain.length - 1;
    while (end >= 0 && plain[end] === 0) end--;
    if (end < 0) throw new Error(`record ${seq} has no padding delimiter`);
    const delimiter = plain[end];
    if (delimiter !== (last ? 2 : 1)) throw new Error(`record ${seq}: padding delimiter ${delimiter}, expected ${last ? 2 : 1}`);
    records.push(plain.subarray(0, end));
  }
  return Buffer.concat(records);
}

/** RFC 8292: `vapid t=<ES256 JWT>, k=<public key>`; returns the claims or throws why not. */
export function verifyVapid(authorization: string | undefined, origin: string, expectedKey?: string): Delivery["claims"] {
  const match = /^vapid t=([\w-]+\.[\w-]+\.[\w-]+),\s*k=([\w-]+)$/.exec(authorization ?? "");
  if (!match) throw new Error(`Authorization is not "vapid t=…, k=…": ${JSON.stringify(authorization)}`);
  const [, jwt, k] = match as unknown as [string, string, string];
  if (expectedKey && k !== expectedKey) throw new Error("k is not the server's VAPID public key");
  const raw = Buffer.from(k, "base64url");
  if (raw.length !== 65 || raw[0] !== 4) throw new Error("k is not an uncompressed P-256 point");
  const key = crypto.createPublicKey({
    key: { kty: "EC", crv: "P-256", x: b64u(raw.subarray(1, 33)), y: b64u(raw.subarray(33)) },
    format: "jwk",
  });
  const [h, p, s] = jwt.split(".") as [string, string, string];
  const header = JSON.parse(Buffer.from(h, "base64url").toString());
  if (header.alg !== "ES256" || header.typ !== "JWT") throw new Error(`JWT header ${JSON.stringify(header)}`);
  const signature = Buffer.from(s, "base64url");
  if (!crypto.verify("sha256", Buffer.from(`${h}.${p}`), { key, dsaEncoding: "ieee-p1363" }, signature)) {
    throw new Error("JWT signature does not verify against k");
  }
  const claims = JSON.parse(Buffer.from(p, "base64url").toString()) as Delivery["claims"];
  if (claims.aud !== origin) throw new Error(`aud ${claims.aud} is not ${origin}`);
  const nowS = Date.now() / 1000;
  if (!(claims.exp > nowS && claims.exp <= nowS + 24 * 3600 + 60)) throw new Error(`exp ${claims.exp} is not within 24 h`);
  if (!/^(mailto:|https:)/.test(claims.sub ?? "")) throw new Error(`sub ${claims.sub} is not mailto: or https:`);
  return claims;
}

function selfSignedCert(): { key: string; cert: string } {
  const dir = tempDir("maestro-push-cert-");
  try {
    const keyFile = path.join(dir, "key.pem");
    const certFile = path.join(dir, "cert.pem");
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        keyFile,
        "-out",
        certFile,
        "-days",
        "1",
        "-subj",
        "/CN=127.0.0.1",
        "-addext",
        "subjectAltName=IP:127.0.0.1",
      ],
      { stdio: "pipe" },
    );
    return { key: fs.readFileSync(keyFile, "utf8"), cert: fs.readFileSync(certFile, "utf8") };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Starts the receiver on an ephemeral https port of 127.0.0.1. */
export async function startPushReceiver() {
  const { key, cert } = selfSignedCert();
  let vapidPublicKey: string | undefined;
  const clients = new Map<string, { ecdh: crypto.ECDH; auth: Buffer; status: number }>();
  const deliveries: Delivery[] = [];
  /** What the receiver refused, and why (a correct sender never lands here). */
  const problems: string[] = [];
  const waiters = new Set<() => void>();

  const server = https.createServer({ key, cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const answer = (status: number, problem?: string) => {
        if (problem) problems.push(problem);
        res.writeHead(status, { "content-type": "text/plain" }).end(problem ?? "");
        for (const wake of waiters) wake();
      };
      const id = /^\/push\/([\w-]+)$/.exec(req.url ?? "")?.[1];
      const client = id ? clients.get(id) : undefined;
      if (req.method !== "POST" || !id || !client) return answer(404, `unknown endpoint ${req.method} ${req.url}`);
      try {
        const claims = verifyVapid(req.headers.authorization, origin, vapidPublicKey);
        if (req.headers["content-encoding"] !== "aes128gcm") throw new Error(`Content-Encoding ${String(req.headers["content-encoding"])}`);
        const ttl = Number(req.headers.ttl);
        if (!Number.isInteger(ttl) || ttl < 0) throw new Error(`TTL ${String(req.headers.ttl)}`);
        const payload = JSON.parse(decryptAes128gcm(Buffer.concat(chunks), client.ecdh, client.auth).toString("utf8"));
        deliveries.push({ id, status: client.status, payload, claims, headers: { ttl, urgency: (req.headers.urgency as string) ?? null } });
        answer(client.status);
      } catch (err) {
        answer(400, `${id}: ${(err as Error).message}`);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const origin = `https://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;

  return {
    origin,
    /** The self-signed certificate (PEM), e.g. for NODE_EXTRA_CA_CERTS of a bridge process. */
    cert,
    /** Trusts exactly this receiver's certificate; give it to the push service under test. */
    agent: new https.Agent({ ca: cert }),
    deliveries,
    problems,
    /** Refuse pushes not signed with this VAPID key (the server's). */
    expectVapidKey(publicKey: string) {
      vapidPublicKey = publicKey;
    },
    /** A subscription as a browser would make one: a fresh P-256 key pair and auth secret. */
    newSubscription(): BrowserSubscription {
      const id = crypto.randomBytes(8).toString("hex");
      const ecdh = crypto.createECDH("prime256v1");
      ecdh.generateKeys();
      const auth = crypto.randomBytes(16);
      clients.set(id, { ecdh, auth, status: 201 });
      return { id, json: { endpoint: `${origin}/push/${id}`, keys: { p256dh: b64u(ecdh.getPublicKey()), auth: b64u(auth) } } };
    },
    /** From now on, answer this subscription's pushes with `status` (201, 404, 410, 500…). */
    respondWith(id: string, status: number) {
      clients.get(id)!.status = status;
    },
    deliveriesFor: (id: string) => deliveries.filter((d) => d.id === id),
    /** Waits until `count` requests in all were answered (accepted or refused). */
    async waitForRequests(count: number, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (deliveries.length + problems.length < count) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`push receiver: ${deliveries.length + problems.length} of ${count} requests after ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          const wake = () => (waiters.delete(wake), resolve());
          waiters.add(wake);
          setTimeout(wake, left);
        });
      }
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type PushReceiver = Awaited<ReturnType<typeof startPushReceiver>>;
