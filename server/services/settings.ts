import type { Db } from "../db";

/** Plain key/value settings in the database. */
export function createSettingsService(db: Db) {
  return {
    async get(key: string): Promise<string | null> {
      return (await db.setting.findUnique({ where: { key } }))?.value ?? null;
    },
    async set(key: string, value: string | null): Promise<void> {
      if (value === null) await db.setting.deleteMany({ where: { key } });
      else await db.setting.upsert({ where: { key }, create: { key, value }, update: { value } });
    },
    async getMany(prefix: string): Promise<Record<string, string>> {
      const rows = await db.setting.findMany({ where: { key: { startsWith: prefix } } });
      return Object.fromEntries(rows.map((r) => [r.key, r.value]));
    },
  };
}

export type SettingsService = ReturnType<typeof createSettingsService>;
