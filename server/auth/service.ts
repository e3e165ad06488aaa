import type { Db } from "../db";
import { AppError } from "../errors";
import type { Bus } from "../events/bus";
import type { SharePermission, ShareScope } from "../../lib/schemas/share";
import { readCliTokenFile, writeCliTokenFile } from "./cli-token";
import { hashToken, looksLikeToken, newToken } from "./tokens";

export const PAIRING_TTL_MS = 60 * 60 * 1000;
/** The user agent of the local CLI's row (tokens minted into `<dataDir>/cli-token`). */
const LOCAL_CLI = "maestro CLI";
/**
 * Tokens minted by `maestro pair --cli` for other machines. Another userAgent than LOCAL_CLI, so
 * ensureCliToken (which retires every LOCAL_CLI row but the file's) leaves them alone.
 */
const REMOTE_CLI = "maestro CLI (remote)";
/** lastSeenAt is written at most this often per session, so reads do not become writes. */
const LAST_SEEN_WRITE_INTERVAL_MS = 60 * 1000;

/** Who is calling: the owner (a paired device), the owner's `maestro` CLI, or a teammate holding a share link. */
export type Principal = OwnerPrincipal | CliPrincipal | SharePrincipal;
export type OwnerPrincipal = { kind: "owner"; sessionId: string };
/**
 * The `maestro` CLI (a `kind: "cli"` OwnerSession, Bearer token): the owner's powers over the
 * API. Pages and terminal websockets stay the browser's, but that is not a boundary: the API
 * alone can create agents that run commands, mint pairing links (`tunnel.pairingLink`) and
 * revoke devices, so the token is owner-equivalent.
 */
export type CliPrincipal = { kind: "cli"; sessionId: string };
export type SharePrincipal = {
  kind: "share";
  shareId: string;
  label: string;
  scope: ShareScope;
  agentId: string | null;
  runId: string | null;
  /** Scope "groupchat": the one group chat the link opens. */
  groupChatId: string | null;
  permission: SharePermission;
  /** May answer its agent's tool approvals (ShareAccess "approve"). */
  canApprove: boolean;
  expiresAt: Date;
};

/** The owner or the owner's CLI: may call every procedure with the owner's view. */
export function hasOwnerPowers(p: Principal): p is OwnerPrincipal | CliPrincipal {
  return p.kind === "owner" || p.kind === "cli";
}

/** What an OwnerSession row is: a paired browser (cookie) or a CLI token (Bearer). */
export type SessionKind = "device" | "cli";

export interface OwnerDevice {
  id: string;
  deviceName: string;
  kind: string;
  createdAt: Date;
  lastSeenAt: Date;
}

/**
 * Owner pairing and sessions. A pairing token is printed once (URL + QR), stored hashed, and
 * exchanged exactly once for a long-lived session token that lives in an httpOnly cookie.
 */
export function createAuthService(db: Db, deps: { bus?: Pick<Bus, "publish">; now?: () => Date; dataDir?: string } = {}) {
  const now = deps.now ?? (() => new Date());

  /** A live session of the given kind for this token, touching lastSeenAt now and then. */
  async function sessionFor(token: string | undefined, kind: SessionKind): Promise<string | null> {
    if (!looksLikeToken(token)) return null;
    const session = await db.ownerSession.findUnique({
      where: { tokenHash: hashToken(token) },
      select: { id: true, revokedAt: true, lastSeenAt: true, kind: true },
    });
    // A token works only on its own path: a CLI token is no cookie, a device cookie no Bearer.
    if (!session || session.revokedAt || session.kind !== kind) return null;
    const t = now();
    if (t.getTime() - session.lastSeenAt.getTime() > LAST_SEEN_WRITE_INTERVAL_MS) {
      await db.ownerSession.update({ where: { id: session.id }, data: { lastSeenAt: t } });
    }
    return session.id;
  }

  /**
   * Makes sure `<dataDir>/cli-token` holds a token of a live CLI row: kept when it does, else a
   * new row ("CLI") and a new file. Returns the row id.
   */
  async function ensureCliToken(): Promise<string> {
    if (!deps.dataDir) throw new Error("ensureCliToken needs the data dir");
    const file = readCliTokenFile(deps.dataDir);
    if (file && looksLikeToken(file.token)) {
      const row = await db.ownerSession.findUnique({
        where: { tokenHash: hashToken(file.token) },
        select: { id: true, revokedAt: true, kind: true },
      });
      if (row && !row.revokedAt && row.kind === "cli" && row.id === file.id) return row.id;
    }
    const token = newToken();
    const row = await db.ownerSession.create({
      data: { tokenHash: hashToken(token), deviceName: "CLI", userAgent: LOCAL_CLI, kind: "cli" },
    });
    writeCliTokenFile(deps.dataDir, { token, id: row.id });
    // The file is the only home of a local CLI token: one it no longer holds (deleted, replaced)
    // is retired, so Devices shows one "CLI" row and a lost copy stops working.
    const stale = await db.ownerSession.findMany({
      where: { kind: "cli", userAgent: LOCAL_CLI, revokedAt: null, id: { not: row.id } },
      select: { id: true },
    });
    for (const { id } of stale) {
      const r = await db.ownerSession.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: now() } });
      if (r.count === 1) deps.bus?.publish("devices.revoked", { sessionId: id });
    }
    return row.id;
  }

  return {
    ensureCliToken,
    /**
     * A revocable CLI token for `--url/--token` from another machine (`maestro pair --cli`): its own
     * row, shown in Devices under its name. The clear token is returned once and stored nowhere.
     */
    async createCliToken(name: string): Promise<{ id: string; name: string; token: string }> {
      const token = newToken();
      const deviceName = name.trim().slice(0, 80) || "Remote CLI";
      const row = await db.ownerSession.create({
        data: { tokenHash: hashToken(token), deviceName, userAgent: REMOTE_CLI, kind: "cli" },
      });
      return { id: row.id, name: deviceName, token };
    },
    /** A new one-time pairing token; returns the clear token to print. */
    async createPairingToken(ttlMs = PAIRING_TTL_MS): Promise<{ token: string; expiresAt: Date }> {
      const token = newToken();
      const expiresAt = new Date(now().getTime() + ttlMs);
      await db.pairingToken.create({ data: { tokenHash: hashToken(token), expiresAt } });
      return { token, expiresAt };
    },

    /** Exchanges a pairing token for an owner session. Single use, even under races. */
    async pair(token: unknown, device: { deviceName: string; userAgent: string }) {
      if (!looksLikeToken(token)) throw invalidPairing();
      const tokenHash = hashToken(token);
      const sessionToken = newToken();
      const t = now();
      // The conditional claim is atomic on its own, so no transaction is held open across awaits
      // (the bridge's prepared-statement writers share the database file and must never wait on
      // it). A session that then fails to be created costs only a fresh pairing link.
      const claimed = await db.pairingToken.updateMany({
        where: { tokenHash, usedAt: null, expiresAt: { gt: t } },
        data: { usedAt: t },
      });
      if (claimed.count !== 1) throw invalidPairing();
      const session = await db.ownerSession.create({
        data: {
          tokenHash: hashToken(sessionToken),
          deviceName: device.deviceName.slice(0, 80) || "Unnamed device",
          userAgent: device.userAgent.slice(0, 300),
        },
      });
      return { sessionToken, sessionId: session.id };
    },

    /** Resolves a session cookie to a principal, or null. Device rows only. */
    async authenticate(sessionToken: string | undefined): Promise<OwnerPrincipal | null> {
      const sessionId = await sessionFor(sessionToken, "device");
      return sessionId ? { kind: "owner", sessionId } : null;
    },

    /** Resolves an `Authorization: Bearer` token to the CLI principal, or null. CLI rows only. */
    async authenticateBearer(token: string | undefined): Promise<CliPrincipal | null> {
      const sessionId = await sessionFor(token, "cli");
      return sessionId ? { kind: "cli", sessionId } : null;
    },

    async listDevices(): Promise<OwnerDevice[]> {
      return db.ownerSession.findMany({
        where: { revokedAt: null },
        orderBy: { lastSeenAt: "desc" },
        select: { id: true, deviceName: true, kind: true, createdAt: true, lastSeenAt: true },
      });
    },

    /** A session's device name (a paired browser's, or "CLI"); null when there is no such session. */
    async deviceName(sessionId: string): Promise<string | null> {
      return (await db.ownerSession.findUnique({ where: { id: sessionId }, select: { deviceName: true } }))?.deviceName ?? null;
    },

    async renameDevice(id: string, deviceName: string) {
      const r = await db.ownerSession.updateMany({ where: { id, revokedAt: null }, data: { deviceName } });
      return r.count === 1;
    },

    /**
     * Revokes a paired device; once committed its open streams are cut and its pushes stop
     * (`devices.revoked`). Revoking the local CLI's row rotates its token: the old one (and any
     * copy of it elsewhere) is dead, and the file gets a fresh one for the next `maestro` call.
     */
    async revokeDevice(id: string) {
      const r = await db.ownerSession.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: now() } });
      if (r.count !== 1) return false;
      deps.bus?.publish("devices.revoked", { sessionId: id });
      if (deps.dataDir && readCliTokenFile(deps.dataDir)?.id === id) await ensureCliToken();
      return true;
    },

    /** Paired browsers only: the CLI's own row does not count as "paired" (the banner still offers a link). */
    async hasOwnerDevices(): Promise<boolean> {
      return (await db.ownerSession.count({ where: { revokedAt: null, kind: "device" } })) > 0;
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;

function invalidPairing() {
  return new AppError("UNAUTHORIZED", "This pairing link is invalid, used or expired.", {
    hint: "Run `npm run pair` on the machine running Maestro for a fresh link.",
  });
}
