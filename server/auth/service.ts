import type { Db } from "../db";
import { AppError } from "../errors";
import type { Bus } from "../events/bus";
import type { SharePermission, ShareScope } from "../../lib/schemas/share";
import { hashToken, looksLikeToken, newToken } from "./tokens";

export const PAIRING_TTL_MS = 60 * 60 * 1000;
/** lastSeenAt is written at most this often per session, so reads do not become writes. */
const LAST_SEEN_WRITE_INTERVAL_MS = 60 * 1000;

/** Who is calling: the owner (a paired device) or a teammate holding a share link. */
export type Principal = OwnerPrincipal | SharePrincipal;
export type OwnerPrincipal = { kind: "owner"; sessionId: string };
export type SharePrincipal = {
  kind: "share";
  shareId: string;
  label: string;
  scope: ShareScope;
  agentId: string | null;
  runId: string | null;
  permission: SharePermission;
  expiresAt: Date;
};

export interface OwnerDevice {
  id: string;
  deviceName: string;
  createdAt: Date;
  lastSeenAt: Date;
}

/**
 * Owner pairing and sessions. A pairing token is printed once (URL + QR), stored hashed, and
 * exchanged exactly once for a long-lived session token that lives in an httpOnly cookie.
 */
export function createAuthService(db: Db, deps: { bus?: Pick<Bus, "publish">; now?: () => Date } = {}) {
  const now = deps.now ?? (() => new Date());
  return {
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

    /** Resolves a session cookie to a principal, or null. Touches lastSeenAt now and then. */
    async authenticate(sessionToken: string | undefined): Promise<OwnerPrincipal | null> {
      if (!looksLikeToken(sessionToken)) return null;
      const session = await db.ownerSession.findUnique({
        where: { tokenHash: hashToken(sessionToken) },
        select: { id: true, revokedAt: true, lastSeenAt: true },
      });
      if (!session || session.revokedAt) return null;
      const t = now();
      if (t.getTime() - session.lastSeenAt.getTime() > LAST_SEEN_WRITE_INTERVAL_MS) {
        await db.ownerSession.update({ where: { id: session.id }, data: { lastSeenAt: t } });
      }
      return { kind: "owner", sessionId: session.id };
    },

    async listDevices(): Promise<OwnerDevice[]> {
      return db.ownerSession.findMany({
        where: { revokedAt: null },
        orderBy: { lastSeenAt: "desc" },
        select: { id: true, deviceName: true, createdAt: true, lastSeenAt: true },
      });
    },

    async renameDevice(id: string, deviceName: string) {
      const r = await db.ownerSession.updateMany({ where: { id, revokedAt: null }, data: { deviceName } });
      return r.count === 1;
    },

    /** Revokes a paired device; once committed its open streams are cut and its pushes stop (`devices.revoked`). */
    async revokeDevice(id: string) {
      const r = await db.ownerSession.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: now() } });
      if (r.count !== 1) return false;
      deps.bus?.publish("devices.revoked", { sessionId: id });
      return true;
    },

    async hasOwnerDevices(): Promise<boolean> {
      return (await db.ownerSession.count({ where: { revokedAt: null } })) > 0;
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;

function invalidPairing() {
  return new AppError("UNAUTHORIZED", "This pairing link is invalid, used or expired.", {
    hint: "Run `npm run pair` on the machine running Maestro for a fresh link.",
  });
}
