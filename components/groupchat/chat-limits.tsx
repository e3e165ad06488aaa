"use client";

import { Field, Input } from "../ui/field";

/** How long one participant may work (minutes) and how many moderator turns a message may take. */
export function ChatLimitsFields({
  timeoutMin,
  onTimeout,
  roundLimit,
  onRoundLimit,
  errors,
}: {
  timeoutMin: string;
  onTimeout: (v: string) => void;
  roundLimit: string;
  onRoundLimit: (v: string) => void;
  errors?: Record<string, string | undefined> | null;
}) {
  return (
    <>
      <Field
        label="Participant timeout (minutes)"
        hint="A participant still working after this is stopped and shown as timed out (1 to 120)."
        error={errors?.participantTimeoutMs ?? null}
      >
        {(c) => (
          <Input
            {...c}
            type="number"
            inputMode="numeric"
            min={1}
            max={120}
            value={timeoutMin}
            onChange={(e) => onTimeout(e.target.value)}
          />
        )}
      </Field>
      <Field
        label="Round limit"
        hint="The most moderator turns one message may take before the round stops (1 to 50)."
        error={errors?.roundLimit ?? null}
      >
        {(c) => (
          <Input
            {...c}
            type="number"
            inputMode="numeric"
            min={1}
            max={50}
            value={roundLimit}
            onChange={(e) => onRoundLimit(e.target.value)}
          />
        )}
      </Field>
    </>
  );
}
