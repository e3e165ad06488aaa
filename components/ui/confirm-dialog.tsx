"use client";

import type { ReactNode } from "react";
import { Button } from "./button";
import { Dialog, DialogBody, DialogFooter } from "./dialog";
import { FormError } from "./field";

export interface ConfirmDialogProps {
  open: boolean;
  onClose: () => void;
  title: ReactNode;
  children?: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  pending?: boolean;
  error?: string | null;
  destructive?: boolean;
}

/** Asks before something that cannot be undone. Focus starts on Cancel, the safe choice. */
export function ConfirmDialog({
  open,
  onClose,
  title,
  children,
  confirmLabel,
  onConfirm,
  pending,
  error,
  destructive = true,
}: ConfirmDialogProps) {
  return (
    <Dialog open={open} onClose={onClose} title={title} variant="sheet" size="sm">
      {(children || error) && (
        <DialogBody className="pt-1 text-[15px] leading-relaxed text-muted">
          {children}
          {error && <FormError className="mt-3">{error}</FormError>}
        </DialogBody>
      )}
      <DialogFooter className={children || error ? undefined : "mt-3"}>
        <Button data-autofocus onClick={onClose}>
          Cancel
        </Button>
        <Button variant={destructive ? "danger" : "primary"} onClick={onConfirm} disabled={pending} aria-busy={pending || undefined}>
          {confirmLabel}
        </Button>
      </DialogFooter>
    </Dialog>
  );
}
