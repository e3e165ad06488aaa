"use client";

import { useId, useState } from "react";
import { Button } from "../ui/button";
import { Dialog, DialogBody, DialogFooter } from "../ui/dialog";
import { FieldError, Hint, Input, Label } from "../ui/field";

/** The rule "Always allow" stores when the CLI suggested none: the tool, or the command's first word. */
export function defaultRule(toolName: string, input: unknown, suggested?: string): string {
  if (suggested) return suggested;
  const cmd = typeof input === "object" && input !== null ? (input as Record<string, unknown>).command : undefined;
  if (toolName === "Bash" && typeof cmd === "string" && cmd.trim()) return `Bash(${cmd.trim().split(/\s+/)[0]}:*)`;
  return toolName;
}

const RULE = /^[A-Za-z][A-Za-z0-9_]*(?:__[A-Za-z0-9_-]+)*(?:\((.+)\))?$/s;

/** "Always allow…": edit the rule this agent will keep, then allow. */
export function RuleSheet({
  open,
  onClose,
  initial,
  busy,
  error,
  onSave,
}: {
  open: boolean;
  onClose: () => void;
  initial: string;
  busy: boolean;
  error: string | null;
  onSave: (rule: string) => void;
}) {
  const [rule, setRule] = useState(initial);
  const [invalid, setInvalid] = useState<string | null>(null);
  const id = useId();
  const shown = invalid ?? error;
  return (
    <Dialog open={open} onClose={onClose} title="Always allow" description="This agent will run matching calls without asking you again.">
      <form
        className="flex min-h-0 flex-1 flex-col"
        onSubmit={(e) => {
          e.preventDefault();
          const r = rule.trim();
          if (!RULE.test(r)) return setInvalid("A rule is a tool name, optionally with what it may do in brackets: Bash(npm test:*).");
          setInvalid(null);
          onSave(r);
        }}
      >
        <DialogBody>
          <Label htmlFor={id}>Rule</Label>
          <Input
            id={id}
            data-autofocus
            value={rule}
            onChange={(e) => setRule(e.target.value)}
            autoCapitalize="off"
            autoCorrect="off"
            spellCheck={false}
            className="font-mono"
            aria-invalid={shown ? true : undefined}
            aria-describedby={`${id}-hint ${id}-err`}
          />
          <FieldError id={`${id}-err`}>{shown}</FieldError>
          <Hint id={`${id}-hint`}>
            <code>Bash(npm test:*)</code> allows commands that start with <code>npm test</code>; <code>Write</code> allows every file write.
            You can remove rules in the agent&apos;s settings.
          </Hint>
        </DialogBody>
        <DialogFooter>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button variant="primary" type="submit" disabled={busy}>
            {busy ? "Allowing…" : "Always allow"}
          </Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}
