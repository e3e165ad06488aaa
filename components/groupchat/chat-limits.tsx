"use client";

import { NumberField } from "../ui/number-field";

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
      <NumberField
        label="Participant timeout (minutes)"
        hint="A participant still working after this is stopped and shown as timed out (1 to 120)."
        error={errors?.participantTimeoutMs ?? null}
        min={1}
        max={120}
        value={timeoutMin}
        onChange={onTimeout}
      />
      <NumberField
        label="Round limit"
        hint="The most moderator turns one message may take before the round stops (1 to 50)."
        error={errors?.roundLimit ?? null}
        min={1}
        max={50}
        value={roundLimit}
        onChange={onRoundLimit}
      />
    </>
  );
}
