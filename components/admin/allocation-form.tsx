"use client";

import { useActionState } from "react";
import { saveAllocations } from "@/app/(app)/admin/usage-limits/actions";
import { FieldError, FormMessage } from "@/components/ui/form-message";
import { SubmitButton } from "@/components/ui/submit-button";

/** Edits one member's allocations: AI in dollars, enrichments in units, blank for the shared pool. */
export function AllocationForm({ orgId, userId, name, ai, enrichments }: { orgId: string; userId: string; name: string; ai: string; enrichments: string }) {
  const [state, formAction] = useActionState(saveAllocations, null);
  const ids = { ai: `ai-${userId}`, enrichments: `enrichments-${userId}` };
  return (
    <form action={formAction} aria-label={`Allocations for ${name}`} className="grid gap-2">
      <input type="hidden" name="orgId" value={orgId} />
      <input type="hidden" name="userId" value={userId} />
      <div className="grid grid-cols-2 gap-2">
        <label className="text-xs font-medium text-slate-600">
          AI allocation ($)
          <input
            name="aiDollars"
            defaultValue={state?.values?.aiDollars ?? ai}
            inputMode="decimal"
            placeholder="Pool"
            aria-invalid={Boolean(state?.fields?.aiDollars)}
            aria-describedby={`${ids.ai}-error`}
            className="mt-1 block w-full rounded-md border-0 px-2 py-1.5 text-sm text-slate-900 ring-1 ring-slate-300 placeholder:text-slate-400 focus:ring-2 focus:ring-blue-600 aria-invalid:ring-red-500"
          />
          <FieldError id={`${ids.ai}-error`} state={state} field="aiDollars" />
        </label>
        <label className="text-xs font-medium text-slate-600">
          Enrichments
          <input
            name="enrichments"
            defaultValue={state?.values?.enrichments ?? enrichments}
            inputMode="numeric"
            placeholder="Pool"
            aria-invalid={Boolean(state?.fields?.enrichments)}
            aria-describedby={`${ids.enrichments}-error`}
            className="mt-1 block w-full rounded-md border-0 px-2 py-1.5 text-sm text-slate-900 ring-1 ring-slate-300 placeholder:text-slate-400 focus:ring-2 focus:ring-blue-600 aria-invalid:ring-red-500"
          />
          <FieldError id={`${ids.enrichments}-error`} state={state} field="enrichments" />
        </label>
      </div>
      <div className="flex items-center gap-3">
        <SubmitButton size="sm" pendingLabel="Saving…">
          Save
        </SubmitButton>
        <FormMessage state={state?.fields ? null : state} className="text-xs" />
      </div>
    </form>
  );
}
