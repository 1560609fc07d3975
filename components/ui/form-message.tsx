import type { FormState } from "@/lib/auth/form-action";

/** What a form's action answered, announced to screen readers as it appears. */
export function FormMessage({ state, testId, className = "" }: { state: FormState; testId?: string; className?: string }) {
  return (
    <p role="status" data-testid={testId} className={`text-sm empty:hidden ${state?.tone === "error" ? "text-red-700" : "text-emerald-800"} ${className}`}>
      {state?.message}
    </p>
  );
}

/** A field's own error, tied to its input with aria-describedby. */
export function FieldError({ id, state, field }: { id: string; state: FormState; field: string }) {
  const message = state?.fields?.[field];
  return message ? (
    <p id={id} className="mt-1 text-xs text-red-700">
      {message}
    </p>
  ) : null;
}
