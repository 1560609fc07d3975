"use client";

import { useActionState, useState } from "react";
import { issueApiKey } from "@/app/(app)/admin/api-keys/actions";
import { FormMessage } from "@/components/ui/form-message";
import { SubmitButton } from "@/components/ui/submit-button";
import { TextField } from "@/components/ui/text-field";

/** Creates a key and shows it this once, with a copy button; it is never shown again. */
export function ApiKeyForm({ orgId }: { orgId: string }) {
  const [state, formAction] = useActionState(issueApiKey, null);
  const [copied, setCopied] = useState<string | null>(null);
  return (
    <div className="grid gap-3">
      <form action={formAction} className="flex flex-wrap items-start gap-3" aria-label="Create an API key">
        <input type="hidden" name="orgId" value={orgId} />
        <TextField
          label="Key name"
          name="name"
          errorId="key-name-error"
          state={state}
          className="min-w-64 flex-1"
          required
          maxLength={100}
          placeholder="CRM production"
          defaultValue={state?.values?.name}
        />
        <div className="pt-6">
          <SubmitButton pendingLabel="Creating…">Create key</SubmitButton>
        </div>
      </form>
      <FormMessage state={state?.fields ? null : state} />
      {state?.secret && (
        <div className="flex flex-wrap items-center gap-3 rounded-lg bg-amber-50 px-4 py-3 ring-1 ring-amber-200">
          <code className="min-w-0 flex-1 break-all font-mono text-sm text-slate-900" data-testid="new-api-key">
            {state.secret}
          </code>
          <button
            type="button"
            onClick={() => navigator.clipboard.writeText(state.secret!).then(() => setCopied(state.secret!))}
            className="rounded-md bg-white px-2.5 py-1 text-xs font-semibold text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50"
          >
            {copied === state.secret ? "Copied" : "Copy"}
          </button>
        </div>
      )}
    </div>
  );
}
