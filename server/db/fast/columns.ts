import type {
  Agent,
  AutorunAttempt,
  AutorunRun,
  Event,
  GroupChat,
  GroupChatEvent,
  GroupChatMessage,
  GroupChatParticipant,
  GroupChatRound,
  HistoryEntry,
  Tab,
  Turn,
} from "../../../generated/prisma/client.ts";

/**
 * The one place the fast path names columns: for every table it touches, each Prisma field with
 * its scalar type, whether it may be null, and its SQL column. Statements are built from these
 * maps (statements.ts), never spelled out column by column.
 *
 * Two checks keep them honest:
 * - compile time: each map is typed against the Prisma model the generated client exports, so a
 *   field added, removed or renamed in schema.prisma (after `prisma generate`), or one whose type
 *   or nullability changed, is a type error here;
 * - run time: contract.test.ts compares every map with Prisma's data model (names, types, order),
 *   with the migrated database (columns, NOT NULL), and round-trips every row both ways.
 */

export type ScalarType = "String" | "Int" | "Float" | "Boolean" | "DateTime";

export interface ColumnSpec {
  type: ScalarType;
  nullable: boolean;
  /** The SQL column when the field is `@map`ped; the field name otherwise. */
  sql?: string;
  /** An autoincrement id: left to SQLite on insert, read back with RETURNING. */
  generated?: boolean;
}

/** The scalar type a Prisma field of TypeScript type V has (Int and Float are both numbers). */
type ScalarOf<V> = [V] extends [Date]
  ? "DateTime"
  : [V] extends [boolean]
    ? "Boolean"
    : [V] extends [string]
      ? "String"
      : [V] extends [number]
        ? "Int" | "Float"
        : never;
type SpecOf<V> = { type: ScalarOf<NonNullable<V>>; nullable: null extends V ? true : false; sql?: string; generated?: boolean };
/** Exactly one spec per field of model M, of the field's type and nullability. */
export type ColumnsOf<M> = { [K in keyof M]-?: SpecOf<M[K]> };

export interface Column extends ColumnSpec {
  field: string;
  sql: string;
}

export interface Table<M> {
  /** The model's name in schema.prisma. */
  model: string;
  /** The SQL table (the model name unless `@@map`ped). */
  sql: string;
  /** Every field, in the map's order. */
  fields: readonly (keyof M & string)[];
  columns: { readonly [K in keyof M & string]: Column };
}

function table<M>(model: string, spec: ColumnsOf<M>, sql = model): Table<M> {
  const columns = {} as Record<string, Column>;
  for (const [field, s] of Object.entries<ColumnSpec>(spec)) columns[field] = { ...s, field, sql: s.sql ?? field };
  return { model, sql, fields: Object.keys(columns) as (keyof M & string)[], columns: columns as Table<M>["columns"] };
}

const text = { type: "String", nullable: false } as const;
const textOrNull = { type: "String", nullable: true } as const;
const int = { type: "Int", nullable: false } as const;
const intOrNull = { type: "Int", nullable: true } as const;
const serial = { type: "Int", nullable: false, generated: true } as const;
const float = { type: "Float", nullable: false } as const;
const bool = { type: "Boolean", nullable: false } as const;
const date = { type: "DateTime", nullable: false } as const;
const dateOrNull = { type: "DateTime", nullable: true } as const;

export const AgentTable = table<Agent>("Agent", {
  id: text,
  name: text,
  folder: text,
  provider: text,
  groupId: textOrNull,
  bookmarked: bool,
  status: text,
  statusDetail: text,
  sortOrder: int,
  settingsJson: text,
  lastActivity: text,
  createdAt: date,
  updatedAt: date,
  parentId: textOrNull,
  worktreeBranch: textOrNull,
  worktreeBaseBranch: textOrNull,
});

export const TabTable = table<Tab>("Tab", {
  id: text,
  agentId: text,
  name: text,
  providerSessionId: textOrNull,
  providerTotals: textOrNull,
  starred: bool,
  sortOrder: int,
  permissionMode: textOrNull,
  createdAt: date,
  updatedAt: date,
});

export const TurnTable = table<Turn>("Turn", {
  id: text,
  tabId: text,
  agentId: text,
  prompt: text,
  status: text,
  errorKind: textOrNull,
  errorMessage: textOrNull,
  inputTokens: int,
  outputTokens: int,
  costUsd: float,
  startedAt: date,
  endedAt: dateOrNull,
  durationMs: intOrNull,
  clientId: textOrNull,
  gitBefore: textOrNull,
  gitAfter: textOrNull,
  gitChanged: intOrNull,
});

export const EventTable = table<Event>("Event", {
  id: serial,
  turnId: text,
  type: text,
  payload: text,
  createdAt: date,
});

export const HistoryEntryTable = table<HistoryEntry>("HistoryEntry", {
  id: text,
  kind: text,
  agentId: textOrNull,
  agentName: text,
  tabId: textOrNull,
  turnId: textOrNull,
  runId: textOrNull,
  groupChatId: textOrNull,
  success: bool,
  summary: text,
  detail: text,
  durationMs: intOrNull,
  inputTokens: int,
  outputTokens: int,
  costUsd: float,
  createdAt: date,
});

export const AutorunRunTable = table<AutorunRun>("AutorunRun", {
  id: text,
  agentId: text,
  playbookId: textOrNull,
  name: text,
  configJson: text,
  status: text,
  pauseReason: textOrNull,
  pauseKind: textOrNull,
  resumeAt: dateOrNull,
  pendingAction: textOrNull,
  endReason: textOrNull,
  tabId: textOrNull,
  docIndex: int,
  loop: int,
  docStateJson: text,
  currentTask: textOrNull,
  currentTurnId: textOrNull,
  tasksDone: int,
  tasksFailed: int,
  loopTasksDone: int,
  inputTokens: int,
  outputTokens: int,
  costUsd: float,
  elapsedMs: int,
  activeSince: dateOrNull,
  startedAt: date,
  endedAt: dateOrNull,
  updatedAt: date,
  worktreeAgentId: textOrNull,
  worktreeBranch: textOrNull,
  prUrl: textOrNull,
  prVia: textOrNull,
  prWarning: textOrNull,
});

export const AutorunAttemptTable = table<AutorunAttempt>("AutorunAttempt", {
  id: text,
  runId: text,
  loop: int,
  docIndex: int,
  docPath: text,
  taskText: text,
  taskLine: int,
  doneBefore: int,
  totalBefore: int,
  turnId: textOrNull,
  status: text,
  summary: text,
  startedAt: date,
  endedAt: dateOrNull,
});

export const GroupChatTable = table<GroupChat>("GroupChat", {
  id: text,
  name: text,
  moderatorAgentId: text,
  moderatorTabId: textOrNull,
  status: text,
  statusDetail: text,
  participantTimeoutMs: int,
  roundLimit: int,
  createdAt: date,
  updatedAt: date,
});

export const GroupChatParticipantTable = table<GroupChatParticipant>("GroupChatParticipant", {
  id: text,
  chatId: text,
  agentId: text,
  tabId: textOrNull,
  role: text,
  colorIndex: int,
  addedAt: date,
});

export const GroupChatRoundTable = table<GroupChatRound>("GroupChatRound", {
  id: text,
  chatId: text,
  index: int,
  userMessageId: text,
  status: text,
  moderatorTurns: int,
  error: textOrNull,
  startedAt: date,
  endedAt: dateOrNull,
});

export const GroupChatMessageTable = table<GroupChatMessage>("GroupChatMessage", {
  id: text,
  chatId: text,
  roundId: textOrNull,
  author: text,
  agentId: textOrNull,
  agentName: text,
  turnId: textOrNull,
  tabId: textOrNull,
  kind: text,
  status: text,
  text: text,
  mentionsJson: text,
  inputTokens: int,
  outputTokens: int,
  costUsd: float,
  durationMs: intOrNull,
  error: textOrNull,
  clientId: textOrNull,
  createdAt: date,
  endedAt: dateOrNull,
});

export const GroupChatEventTable = table<GroupChatEvent>("GroupChatEvent", {
  id: serial,
  chatId: text,
  type: text,
  payload: text,
  createdAt: date,
});

/** Every table the fast path reads or writes (the contract test walks this list). */
export const FAST_TABLES = [
  AgentTable,
  TabTable,
  TurnTable,
  EventTable,
  HistoryEntryTable,
  AutorunRunTable,
  AutorunAttemptTable,
  GroupChatTable,
  GroupChatParticipantTable,
  GroupChatRoundTable,
  GroupChatMessageTable,
  GroupChatEventTable,
] as const;
