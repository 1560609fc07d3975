"use client";

import { useActionState } from "react";
import { markAllRead } from "@/app/(app)/notifications/actions";
import { FormMessage } from "@/components/ui/form-message";
import { SubmitButton } from "@/components/ui/submit-button";

export function MarkAllRead({ orgId }: { orgId: string }) {
  const [state, formAction] = useActionState(markAllRead, null);
  return (
    <form action={formAction} className="flex items-center gap-3">
      <input type="hidden" name="orgId" value={orgId} />
      <FormMessage state={state} className="text-xs" />
      <SubmitButton variant="secondary" size="sm" pendingLabel="Marking…">
        Mark all read
      </SubmitButton>
    </form>
  );
}
