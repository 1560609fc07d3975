"use client";

import Link from "next/link";
import { useActionState } from "react";
import { joinOrg } from "@/app/invite/[token]/actions";
import { FieldError, FormMessage } from "@/components/ui/form-message";
import { SubmitButton } from "@/components/ui/submit-button";

export function AcceptInvitationForm({ token, suggestedName }: { token: string; suggestedName: string }) {
  const [state, formAction] = useActionState(joinOrg, null);
  if (state?.tone === "success") {
    return (
      <div className="mt-5" data-testid="invitation-accepted">
        <FormMessage state={state} />
        <Link href="/signin" className="mt-4 inline-flex rounded-lg bg-blue-600 px-3.5 py-2 text-sm font-semibold text-white shadow-sm hover:bg-blue-700">
          Go to sign-in
        </Link>
      </div>
    );
  }
  return (
    <form action={formAction} className="mt-5 grid gap-4">
      <input type="hidden" name="token" value={token} />
      <label className="text-sm font-medium text-slate-700">
        Your name
        <input
          name="name"
          required
          defaultValue={state?.values?.name ?? suggestedName}
          aria-invalid={Boolean(state?.fields?.name)}
          aria-describedby="name-error"
          className="mt-1 block w-full rounded-md border-0 px-2.5 py-1.5 text-sm text-slate-900 ring-1 ring-slate-300 focus:ring-2 focus:ring-blue-600"
        />
        <FieldError id="name-error" state={state} field="name" />
      </label>
      <div className="flex items-center gap-3">
        <SubmitButton pendingLabel="Joining…">Accept invitation</SubmitButton>
        <FormMessage state={state?.fields ? null : state} />
      </div>
    </form>
  );
}
