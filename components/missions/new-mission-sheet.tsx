"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { DEFAULT_CONCURRENCY, FAILURE_POLICIES, FINISH_MODES, type FailurePolicy, type FinishMode } from "@/lib/missions/types";
import { useTRPC } from "@/lib/trpc/client";
import { useAgents } from "../agents/use-agents";
import { AgentChecklist, AgentSelect } from "../groupchat/agent-picker";
import { Button } from "../ui/button";
import { Dialog, DialogBody, DialogFooter } from "../ui/dialog";
import { Field, FieldError, FormError, inputClass, Select } from "../ui/field";
import { IconFolder } from "../ui/icons";
import { MoreSection } from "../ui/more-section";
import { NumberField } from "../ui/number-field";
import { cn } from "../ui/cn";
import { readError } from "../ui/trpc-error";
import { missionHref } from "./mission-list";
import { checkPlan, type PlanCheck } from "./plan-check";

export const FAILURE_POLICY_LABEL: Record<FailurePolicy, string> = {
  continue: "Keep running independent features",
  stop: "Stop everything and pause",
};
export const FINISH_MODE_LABEL: Record<FinishMode, string> = {
  merge: "Merge into the base branch",
  pr: "Open a pull request",
  none: "Leave the mission branch",
};

/** "New mission": the project agent, a plan file (pasted or picked, checked here first); how it runs under "More". */
export function NewMissionSheet({ open, onClose }: { open: boolean; onClose: () => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const agents = useAgents();
  const list = agents.data ?? [];
  const [agent, setAgent] = useState("");
  const [plan, setPlan] = useState("");
  const [fileName, setFileName] = useState<string | null>(null);
  const [check, setCheck] = useState<PlanCheck | null>(null);
  const [concurrency, setConcurrency] = useState(String(DEFAULT_CONCURRENCY));
  const [failurePolicy, setFailurePolicy] = useState<FailurePolicy>("continue");
  const [finishMode, setFinishMode] = useState<FinishMode>("merge");
  const [pool, setPool] = useState<string[]>([]);
  const fileRef = useRef<HTMLInputElement>(null);

  const create = useMutation(
    trpc.missions.create.mutationOptions({
      onSuccess: ({ id }) => {
        void queryClient.invalidateQueries(trpc.missions.list.queryFilter());
        onClose();
        router.push(missionHref(id));
      },
    }),
  );
  useEffect(() => {
    if (!open) return;
    setPlan("");
    setFileName(null);
    setCheck(null);
    setPool([]);
    create.reset();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- a fresh form each time the sheet opens; `create` is a new object every render
  }, [open]);

  // Checked as it is typed (debounced), so the error is there before Create is tapped.
  useEffect(() => {
    if (!plan.trim()) {
      setCheck(null);
      return;
    }
    let live = true;
    const t = window.setTimeout(() => void checkPlan(plan).then((c) => live && setCheck(c)), 250);
    return () => {
      live = false;
      window.clearTimeout(t);
    };
  }, [plan]);

  const agentId = agent && list.some((a) => a.id === agent) ? agent : (list[0]?.id ?? "");
  const err = create.error ? readError(create.error) : null;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const c = await checkPlan(plan);
    setCheck(c);
    if (!c.ok) return;
    create.mutate({
      agentId,
      plan,
      concurrency: Math.round(Number(concurrency)) || undefined,
      failurePolicy,
      finishMode,
      pool: pool.length ? pool : undefined,
    });
  };

  const planErrors = check && !check.ok ? check.errors : err?.fieldErrors?.plan ? [err.fieldErrors.plan] : [];
  const planError = planErrors.length > 0 ? planErrors.join("\n") : null;
  return (
    <Dialog open={open} onClose={onClose} title="New mission" description="A plan of milestones and features, run by agents in parallel.">
      <form onSubmit={(e) => void submit(e)} className="flex min-h-0 flex-1 flex-col">
        <DialogBody className="space-y-5">
          <AgentSelect
            label="Project"
            hint="The agent whose folder holds the repository (and .maestro/)."
            error={err?.fieldErrors?.agentId ?? null}
            agents={list}
            value={agentId}
            onChange={setAgent}
          />
          <div>
            <div className="mb-1.5 flex items-center justify-between gap-2">
              <label htmlFor="mission-plan" className="text-sm font-medium">
                Plan (plan.json)
              </label>
              <Button size="sm" variant="ghost" onClick={() => fileRef.current?.click()}>
                <IconFolder className="size-4" />
                Pick a file
              </Button>
              <input
                ref={fileRef}
                type="file"
                accept="application/json,.json"
                aria-label="Plan file"
                className="sr-only"
                tabIndex={-1}
                onChange={async (e) => {
                  const file = e.target.files?.[0];
                  e.target.value = "";
                  if (!file) return;
                  setFileName(file.name);
                  setPlan(await file.text());
                }}
              />
            </div>
            <textarea
              id="mission-plan"
              value={plan}
              onChange={(e) => {
                setFileName(null);
                setPlan(e.target.value);
              }}
              rows={8}
              spellCheck={false}
              placeholder='{ "title": "…", "milestones": [ … ], "features": [ … ] }'
              aria-invalid={planError ? true : undefined}
              aria-describedby={planError ? "mission-plan-error" : "mission-plan-hint"}
              className={cn(inputClass, "min-h-40 py-2.5 font-mono text-[13px] leading-5 max-sm:text-[16px]")}
            />
            {check?.ok && !planError ? (
              <p id="mission-plan-hint" className="mt-1.5 text-sm text-ok">
                {fileName ? `${fileName}: ` : ""}
                {check.title ? `“${check.title}”, ` : ""}
                {check.milestones} {check.milestones === 1 ? "milestone" : "milestones"}, {check.features}{" "}
                {check.features === 1 ? "feature" : "features"}
              </p>
            ) : (
              !planError && (
                <p id="mission-plan-hint" className="mt-1.5 text-sm text-muted">
                  Paste the JSON or pick the file. It is checked here before it is sent.
                </p>
              )
            )}
            <FieldError id="mission-plan-error">
              {planErrors.length > 1 ? (
                <ul className="space-y-0.5">
                  {planErrors.map((e, i) => (
                    <li key={i}>{e}</li>
                  ))}
                </ul>
              ) : (
                planError
              )}
            </FieldError>
          </div>
          <MoreSection summary="More: parallel workers, failures, finish, agents">
            <NumberField
              label="Features at once"
              hint="How many workers run in parallel (1–16)."
              error={err?.fieldErrors?.concurrency ?? null}
              min={1}
              max={16}
              value={concurrency}
              onChange={setConcurrency}
            />
            <Field label="When a feature fails">
              {(c) => (
                <Select {...c} value={failurePolicy} onChange={(e) => setFailurePolicy(e.target.value as FailurePolicy)}>
                  {FAILURE_POLICIES.map((p) => (
                    <option key={p} value={p}>
                      {FAILURE_POLICY_LABEL[p]}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
            <Field label="When it is done">
              {(c) => (
                <Select {...c} value={finishMode} onChange={(e) => setFinishMode(e.target.value as FinishMode)}>
                  {FINISH_MODES.map((m) => (
                    <option key={m} value={m}>
                      {FINISH_MODE_LABEL[m]}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
            <AgentChecklist
              label="Worker agents (none ticked: the project agent)"
              agents={list.filter((a) => !a.parentId)}
              selected={pool}
              onChange={setPool}
            />
          </MoreSection>
          {err && Object.keys(err.fieldErrors).length === 0 && <FormError hint={err.hint}>{err.message}</FormError>}
        </DialogBody>
        <DialogFooter>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={!agentId || !plan.trim() || create.isPending || (check !== null && !check.ok)}>
            Create mission
          </Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}
