import type { InputHTMLAttributes, ReactNode } from "react";
import type { FormState } from "@/lib/auth/form-action";
import { FieldError } from "./form-message";

interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, "name" | "className"> {
  label: ReactNode;
  /** The input's name, which is also the field the action's errors are keyed by. */
  name: string;
  /** Unique on the page: ties the input to its error message. */
  errorId: string;
  state: FormState;
  /** Smaller label and padding, for forms repeated down a table. */
  compact?: boolean;
  className?: string;
}

/** A labelled input with its own error from a form action, announced with aria-invalid and aria-describedby. */
export function TextField({ label, name, errorId, state, compact = false, className = "", ...input }: TextFieldProps) {
  return (
    <label className={`font-medium ${compact ? "text-xs text-slate-600" : "text-sm text-slate-700"} ${className}`}>
      {label}
      <input
        name={name}
        aria-invalid={Boolean(state?.fields?.[name])}
        aria-describedby={errorId}
        className={`mt-1 block w-full rounded-md border-0 ${compact ? "px-2" : "px-2.5"} py-1.5 text-sm text-slate-900 ring-1 ring-slate-300 placeholder:text-slate-400 focus:ring-2 focus:ring-blue-600 aria-invalid:ring-red-500`}
        {...input}
      />
      <FieldError id={errorId} state={state} field={name} />
    </label>
  );
}
