"use client";

import { useActionState } from "react";
import { askAdminToUpgrade } from "@/app/(app)/notifications/actions";
import { FormMessage } from "@/components/ui/form-message";
import { SubmitButton } from "@/components/ui/submit-button";

/** For members who cannot change the plan: tells the org's admins, instead of a read-only page. */
export function AskToUpgrade({ orgId }: { orgId: string }) {
  const [state, formAction] = useActionState(askAdminToUpgrade, null);
  return (
    <form action={formAction} className="flex flex-wrap items-center gap-3">
      <input type="hidden" name="orgId" value={orgId} />
      <SubmitButton pendingLabel="Asking…">Ask an admin to upgrade</SubmitButton>
      <FormMessage state={state} className="text-xs" />
    </form>
  );
}
