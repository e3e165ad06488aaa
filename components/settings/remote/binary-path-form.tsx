"use client";

import { useMutation } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useTRPC } from "@/lib/trpc/client";
import { Button } from "../../ui/button";
import { FieldError, Input } from "../../ui/field";
import { readError } from "../../ui/trpc-error";
import { usePutTunnelView } from "./use-tunnel-view";

/** Where cloudflared lives when it is not on the PATH; saving re-checks it. */
export function BinaryPathForm() {
  const trpc = useTRPC();
  const put = usePutTunnelView();
  const id = useId();
  const [value, setValue] = useState("");
  const [error, setError] = useState<string | null>(null);
  const save = useMutation(
    trpc.tunnel.configure.mutationOptions({
      onSuccess: (v) => {
        put(v);
        if (v.status.state === "missing") setError(v.status.error);
      },
      onError: (err) => setError(readError(err).message),
    }),
  );
  return (
    <form
      className="flex min-w-0 flex-1 basis-72 flex-wrap gap-2"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        setError(null);
        save.mutate({ binaryPath: value.trim() || null });
      }}
    >
      <label htmlFor={id} className="sr-only">
        Path to cloudflared
      </label>
      <Input
        id={id}
        value={value}
        onChange={(e) => setValue(e.target.value)}
        placeholder="/path/to/cloudflared"
        className="min-w-0 flex-1 basis-48 font-mono"
        autoComplete="off"
        spellCheck={false}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      <Button type="submit" size="sm" disabled={save.isPending}>
        Use this path
      </Button>
      <FieldError id={`${id}-error`}>{error}</FieldError>
    </form>
  );
}
