"use client";

import { useActionState } from "react";
import type { FormState } from "@/lib/auth/form-action";
import { FormMessage } from "./form-message";
import { SubmitButton } from "./submit-button";

/**
 * One button that runs a server action on a row (Resend, Revoke), with the
 * row's ids as hidden fields and the action's answer beside it.
 */
export function ActionButton({
  action,
  fields,
  label,
  pendingLabel,
  variant = "secondary",
  confirm,
}: {
  action: (previous: FormState, form: FormData) => Promise<FormState>;
  fields: Record<string, string>;
  label: string;
  pendingLabel: string;
  variant?: "secondary" | "danger";
  /** Asked before acting, for what cannot be undone. */
  confirm?: string;
}) {
  const [state, formAction] = useActionState(action, null);
  return (
    <form action={formAction} onSubmit={(event) => confirm && !window.confirm(confirm) && event.preventDefault()} className="inline-flex items-center gap-2">
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <SubmitButton variant={variant} size="sm" pendingLabel={pendingLabel}>
        {label}
      </SubmitButton>
      <FormMessage state={state} className="text-xs" />
    </form>
  );
}
