"use client";

import { useActionState } from "react";
import { joinOrg } from "@/app/invite/[token]/actions";
import { ButtonLink } from "@/components/ui/button-link";
import { FormMessage } from "@/components/ui/form-message";
import { SubmitButton } from "@/components/ui/submit-button";
import { TextField } from "@/components/ui/text-field";

export function AcceptInvitationForm({ token, suggestedName }: { token: string; suggestedName: string }) {
  const [state, formAction] = useActionState(joinOrg, null);
  if (state?.tone === "success") {
    return (
      <div className="mt-5" data-testid="invitation-accepted">
        <FormMessage state={state} />
        <ButtonLink href="/settings/usage" className="mt-4">
          Continue to Ledgerline
        </ButtonLink>
      </div>
    );
  }
  return (
    <form action={formAction} className="mt-5 grid gap-4">
      <input type="hidden" name="token" value={token} />
      <TextField label="Your name" name="name" errorId="name-error" state={state} required defaultValue={state?.values?.name ?? suggestedName} />
      <div className="flex items-center gap-3">
        <SubmitButton pendingLabel="Joining…">Accept invitation</SubmitButton>
        <FormMessage state={state?.fields ? null : state} />
      </div>
    </form>
  );
}
