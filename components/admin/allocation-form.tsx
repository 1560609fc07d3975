"use client";

import { useActionState } from "react";
import { saveAllocations } from "@/app/(app)/admin/usage-limits/actions";
import { FormMessage } from "@/components/ui/form-message";
import { SubmitButton } from "@/components/ui/submit-button";
import { TextField } from "@/components/ui/text-field";

/** Edits one member's allocations: AI in dollars, enrichments in units, blank for the shared pool. */
export function AllocationForm({ orgId, userId, name, ai, enrichments }: { orgId: string; userId: string; name: string; ai: string; enrichments: string }) {
  const [state, formAction] = useActionState(saveAllocations, null);
  return (
    <form action={formAction} aria-label={`Allocations for ${name}`} className="grid gap-2">
      <input type="hidden" name="orgId" value={orgId} />
      <input type="hidden" name="userId" value={userId} />
      <div className="grid grid-cols-2 gap-2">
        <TextField
          compact
          label="AI allocation ($)"
          name="aiDollars"
          errorId={`ai-${userId}-error`}
          state={state}
          defaultValue={state?.values?.aiDollars ?? ai}
          inputMode="decimal"
          placeholder="Pool"
        />
        <TextField
          compact
          label="Enrichments"
          name="enrichments"
          errorId={`enrichments-${userId}-error`}
          state={state}
          defaultValue={state?.values?.enrichments ?? enrichments}
          inputMode="numeric"
          placeholder="Pool"
        />
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
