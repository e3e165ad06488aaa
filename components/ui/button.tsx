import type { ButtonHTMLAttributes, Ref } from "react";
import { cn } from "./cn";

export type ButtonVariant = "primary" | "secondary" | "ghost" | "danger" | "danger-ghost";
export type ButtonSize = "md" | "sm" | "icon" | "icon-sm";

const VARIANTS: Record<ButtonVariant, string> = {
  primary: "bg-accent text-accent-fg shadow-sm hover:brightness-110 active:brightness-95",
  secondary: "border border-border bg-surface text-text hover:bg-surface-2 active:bg-surface-2",
  ghost: "text-text hover:bg-surface-2 active:bg-surface-2",
  danger: "bg-bad text-white shadow-sm hover:brightness-110 active:brightness-95 dark:text-bg",
  "danger-ghost": "text-bad hover:bg-bad/10 active:bg-bad/15",
};

// Touch sizes are 44 px; on wide screens with a fine pointer the small ones tighten up.
const SIZES: Record<ButtonSize, string> = {
  md: "min-h-11 px-4 text-[15px] gap-2 rounded-xl",
  sm: "min-h-11 px-3 text-sm gap-1.5 rounded-lg lg:min-h-9",
  icon: "size-11 rounded-xl",
  "icon-sm": "size-11 rounded-lg lg:size-8",
};

export function buttonClass(variant: ButtonVariant = "secondary", size: ButtonSize = "md", className?: string) {
  return cn(
    "inline-flex shrink-0 items-center justify-center font-medium transition-[background-color,filter,color] duration-150 select-none",
    "disabled:pointer-events-none disabled:opacity-50",
    VARIANTS[variant],
    SIZES[size],
    className,
  );
}

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: ButtonVariant;
  size?: ButtonSize;
  ref?: Ref<HTMLButtonElement>;
}

export function Button({ variant, size, className, type = "button", ...rest }: ButtonProps) {
  return <button type={type} className={buttonClass(variant, size, className)} {...rest} />;
}
