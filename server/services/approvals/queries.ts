/** The approvals service's reads and its small writes: pending requests, the agent's rules, a tab's mode. */
import type { Prisma } from "../../../generated/prisma/client.ts";
import { formatRule, parseRule } from "../../../lib/approvals/rules";
import {
  pendingApprovalsInput,
  ruleAddInput,
  ruleRemoveInput,
  ruleSchema,
  rulesListInput,
  tabPermissionModeInput,
  type PermissionMode,
} from "../../../lib/schemas/approvals";
import type { z } from "zod";
import type { Db } from "../../db";
import { AppError } from "../../errors";
import type { Bus } from "../../events/bus";
import { clipInput } from "./wording";

/** What a pending request's card needs (share-safe: chosen fields). */
const PENDING_SELECT = {
  id: true,
  turnId: true,
  tabId: true,
  agentId: true,
  runId: true,
  provider: true,
  toolUseId: true,
  toolName: true,
  kind: true,
  inputJson: true,
  suggestedRule: true,
  blockedPath: true,
  reason: true,
  createdAt: true,
  expiresAt: true,
} as const satisfies Prisma.ApprovalSelect;

export interface PendingApproval {
  id: string;
  turnId: string;
  tabId: string;
  agentId: string;
  agentName: string;
  runId: string | null;
  provider: string;
  toolUseId: string | null;
  toolName: string;
  kind: "tool" | "question";
  input: unknown;
  suggestedRule: string | null;
  blockedPath: string | null;
  reason: string | null;
  /** Don't offer "Always allow" (the CLI asked so, or a question). */
  noAlwaysAllow: boolean;
  /** One-tap Allow/Deny may be offered (a tool call, not a question). */
  actions: boolean;
  createdAt: Date;
  expiresAt: Date;
}

export interface PermissionRuleView {
  id: string;
  agentId: string;
  /** `Tool` or `Tool(content)`. */
  rule: string;
  tool: string;
  ruleContent: string;
  createdByLabel: string;
  createdAt: Date;
}

const RULE_SELECT = {
  id: true,
  agentId: true,
  tool: true,
  ruleContent: true,
  createdByLabel: true,
  createdAt: true,
} as const satisfies Prisma.PermissionRuleSelect;
type RuleRow = Prisma.PermissionRuleGetPayload<{ select: typeof RULE_SELECT }>;
const ruleView = (r: RuleRow): PermissionRuleView => ({ ...r, rule: formatRule(r.tool, r.ruleContent) });

/** Stores a rule for the agent (an existing identical one is kept). */
export async function storeRule(db: Db, agentId: string, rule: string, label: string): Promise<PermissionRuleView> {
  const checked = ruleSchema.safeParse(rule);
  const parsed = checked.success ? parseRule(checked.data) : null;
  if (!parsed)
    throw new AppError(
      "BAD_INPUT",
      checked.error?.issues[0]?.message ?? "A rule is a tool name, optionally with what it may do in brackets: Bash(npm test:*).",
      {
        field: "rule",
      },
    );
  const row = await db.permissionRule.upsert({
    where: { agentId_tool_ruleContent: { agentId, tool: parsed.tool, ruleContent: parsed.content } },
    create: { agentId, tool: parsed.tool, ruleContent: parsed.content, createdByLabel: label },
    update: {},
    select: RULE_SELECT,
  });
  return ruleView(row);
}

export function createApprovalQueries(deps: {
  db: Db;
  bus: Bus;
  live: (id: string) => { noAlwaysAllow: boolean; actions: boolean } | undefined;
}) {
  const { db, bus } = deps;

  async function rulesFor(agentId: string): Promise<string[]> {
    const rows = await db.permissionRule.findMany({ where: { agentId }, select: RULE_SELECT, orderBy: { createdAt: "asc" } });
    return rows.map((r) => formatRule(r.tool, r.ruleContent));
  }

  return {
    rulesFor,

    /** Requests waiting for a person, oldest first (the order to answer them in). */
    async pending(raw: z.input<typeof pendingApprovalsInput> = {}): Promise<PendingApproval[]> {
      const { agentId } = pendingApprovalsInput.parse(raw);
      const rows = await db.approval.findMany({
        where: { status: "pending", ...(agentId ? { agentId } : {}) },
        select: PENDING_SELECT,
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      });
      const names = new Map(
        (
          await db.agent.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.agentId))] } }, select: { id: true, name: true } })
        ).map((a) => [a.id, a.name]),
      );
      return rows.map(({ inputJson, ...r }) => {
        const l = deps.live(r.id);
        const kind = r.kind === "question" ? "question" : "tool";
        let input: unknown = {};
        try {
          input = clipInput(JSON.parse(inputJson));
        } catch {
          /* stored by us; cannot happen short of corruption */
        }
        return {
          ...r,
          kind,
          input,
          agentName: names.get(r.agentId) ?? "",
          noAlwaysAllow: l?.noAlwaysAllow ?? kind === "question",
          actions: l?.actions ?? kind === "tool",
        };
      });
    },

    rules: {
      async list(raw: z.input<typeof rulesListInput>): Promise<PermissionRuleView[]> {
        const { agentId } = rulesListInput.parse(raw);
        const rows = await db.permissionRule.findMany({ where: { agentId }, select: RULE_SELECT, orderBy: { createdAt: "asc" } });
        return rows.map(ruleView);
      },
      async add(raw: z.input<typeof ruleAddInput>, label = ""): Promise<PermissionRuleView> {
        const { agentId, rule } = ruleAddInput.parse(raw);
        const agent = await db.agent.findUnique({ where: { id: agentId }, select: { id: true } });
        if (!agent) throw new AppError("NOT_FOUND", "That agent no longer exists.");
        const view = await storeRule(db, agentId, rule, label);
        bus.publish("agents.changed", { agentId });
        return view;
      },
      async remove(raw: z.input<typeof ruleRemoveInput>): Promise<{ id: string }> {
        const { ruleId } = ruleRemoveInput.parse(raw);
        const row = await db.permissionRule.delete({ where: { id: ruleId }, select: { id: true, agentId: true } });
        bus.publish("agents.changed", { agentId: row.agentId });
        return { id: row.id };
      },
    },

    /** A tab's own permission mode (null: the agent's). Takes effect from the tab's next turn. */
    async setTabMode(raw: z.input<typeof tabPermissionModeInput>): Promise<{ tabId: string; permissionMode: PermissionMode | null }> {
      const { tabId, mode } = tabPermissionModeInput.parse(raw);
      const tab = await db.tab.update({ where: { id: tabId }, data: { permissionMode: mode }, select: { id: true, agentId: true } });
      bus.publish("tabs.changed", { agentId: tab.agentId });
      return { tabId: tab.id, permissionMode: mode };
    },
  };
}
