"use client";

import { useId, useMemo, useState } from "react";
import { renderRequest, type Question } from "@/lib/approvals/render";
import type { ApprovalState } from "@/lib/transcript/model";
import { Button } from "../ui/button";
import { cn } from "../ui/cn";
import { FormError, inputClass } from "../ui/field";
import { IconCheck } from "../ui/icons";
import { CardFrame, useAnswer } from "./card-frame";
import { useQueuePosition } from "./approval-context";
import { ApprovalOutcome, NotHere } from "./outcome";

interface Choice {
  picked: string[];
  other: string;
  otherOn: boolean;
}
const EMPTY: Choice = { picked: [], other: "", otherOn: false };

/** The answer text the CLI expects: the label, labels comma-joined (multi-select), or the typed text. */
export function answerOf(q: Question, c: Choice): string {
  const parts = [...c.picked];
  if (c.otherOn && c.other.trim()) parts.push(c.other.trim());
  return q.multiSelect ? parts.join(", ") : (parts[parts.length - 1] ?? "");
}

function OneQuestion({ q, choice, onChange, disabled }: { q: Question; choice: Choice; onChange: (c: Choice) => void; disabled: boolean }) {
  const id = useId();
  const pick = (label: string) => {
    if (q.multiSelect) {
      const has = choice.picked.includes(label);
      onChange({ ...choice, picked: has ? choice.picked.filter((l) => l !== label) : [...choice.picked, label] });
    } else onChange({ picked: [label], other: choice.other, otherOn: false });
  };
  return (
    <fieldset className="min-w-0 space-y-2" disabled={disabled}>
      <legend className="text-[15px] font-medium text-text">
        {q.header && <span className="mr-2 rounded-full bg-surface-2 px-2 py-0.5 text-xs font-semibold text-muted">{q.header}</span>}
        {q.question}
      </legend>
      {q.multiSelect && <p className="text-sm text-muted">Pick any that apply.</p>}
      <div role={q.multiSelect ? "group" : "radiogroup"} aria-label={q.question} className="flex flex-col gap-1.5">
        {q.options.map((o) => {
          const on = choice.picked.includes(o.label);
          return (
            <button
              key={o.label}
              type="button"
              role={q.multiSelect ? "checkbox" : "radio"}
              aria-checked={on}
              onClick={() => pick(o.label)}
              className={cn(
                "flex min-h-11 items-start gap-2.5 rounded-xl border px-3 py-2 text-left text-[15px] disabled:opacity-60",
                on ? "border-accent bg-accent/10" : "border-border bg-surface hover:bg-surface-2",
              )}
            >
              <span
                aria-hidden="true"
                className={cn(
                  "mt-0.5 inline-flex size-5 shrink-0 items-center justify-center border",
                  q.multiSelect ? "rounded-md" : "rounded-full",
                  on ? "border-accent bg-accent text-accent-fg" : "border-muted/60",
                )}
              >
                {on && <IconCheck className="size-3.5" />}
              </span>
              <span className="min-w-0">
                <span className="block font-medium">{o.label}</span>
                {o.description && <span className="block text-sm text-muted">{o.description}</span>}
              </span>
            </button>
          );
        })}
        <label className="flex min-h-11 items-center gap-2.5 rounded-xl border border-dashed border-border px-3 py-1.5">
          <input
            type={q.multiSelect ? "checkbox" : "radio"}
            name={id}
            checked={choice.otherOn}
            onChange={(e) => onChange({ picked: q.multiSelect ? choice.picked : [], other: choice.other, otherOn: e.target.checked })}
            className="size-5 accent-[var(--color-accent)]"
          />
          <span className="sr-only">Other</span>
          <input
            aria-label={`Other answer to: ${q.question}`}
            placeholder="Other…"
            value={choice.other}
            maxLength={2000}
            onChange={(e) =>
              onChange({
                picked: q.multiSelect ? choice.picked : e.target.value ? [] : choice.picked,
                other: e.target.value,
                otherOn: !!e.target.value,
              })
            }
            className={cn(inputClass, "min-h-10 border-0 bg-transparent px-0 focus:border-0")}
          />
        </label>
      </div>
    </fieldset>
  );
}

/** An AskUserQuestion: each question's options (or Other), sent when every question has an answer. */
export function QuestionCard({ approval }: { approval: ApprovalState }) {
  const { actions, busy, error, send } = useAnswer(approval.approvalId);
  const who = actions?.who ?? "Claude";
  const view = useMemo(() => renderRequest("AskUserQuestion", approval.input, who), [approval.input, who]);
  const questions = view.kind === "question" ? view.questions : [];
  const [choices, setChoices] = useState<Choice[]>(() => questions.map(() => EMPTY));
  const position = useQueuePosition(approval.approvalId);
  const pending = !approval.decision;
  const canAnswer = pending && !!actions?.canAnswer && position <= 0;
  const answers = Object.fromEntries(questions.map((q, i) => [q.question, answerOf(q, choices[i] ?? EMPTY)]));
  const complete = questions.length > 0 && Object.values(answers).every((a) => a.trim() !== "");

  return (
    <CardFrame approval={approval} title={`${who} asks`}>
      {pending ? (
        <form
          className="space-y-4"
          onSubmit={(e) => {
            e.preventDefault();
            if (complete) void send({ decision: "allow", answers });
          }}
        >
          {questions.map((q, i) => (
            <OneQuestion
              key={`${i}:${q.question}`}
              q={q}
              choice={choices[i] ?? EMPTY}
              disabled={!canAnswer || busy}
              onChange={(c) => setChoices((all) => all.map((x, j) => (j === i ? c : x)))}
            />
          ))}
          {!actions?.canAnswer && <NotHere canAnswerElsewhere={!actions} />}
          {actions?.canAnswer && position > 0 && <p className="text-sm text-muted">Answer the request above first; this one comes next.</p>}
          {canAnswer && (
            <div className="flex flex-wrap items-center gap-2">
              <Button variant="primary" type="submit" disabled={!complete || busy}>
                {busy ? "Sending…" : "Send answer"}
              </Button>
              <Button
                variant="ghost"
                disabled={busy}
                onClick={() => void send({ decision: "deny", message: "The user dismissed the question." })}
              >
                Dismiss
              </Button>
              {!complete && <span className="text-sm text-muted">Answer every question to send.</span>}
            </div>
          )}
          {error && <FormError>{error}</FormError>}
        </form>
      ) : (
        <>
          <ul className="space-y-1 text-[15px]">
            {questions.map((q) => (
              <li key={q.question}>
                <span className="text-muted">{q.question}</span>
              </li>
            ))}
          </ul>
          {approval.decision && <ApprovalOutcome decision={approval.decision} kind="question" />}
        </>
      )}
    </CardFrame>
  );
}
