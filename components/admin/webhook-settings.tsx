"use client";

import { useActionState } from "react";
import { removeAlertWebhook, rotateAlertSecret, saveAlertWebhook } from "@/app/(app)/admin/alerts/actions";
import { ActionButton } from "@/components/ui/action-button";
import { FormMessage } from "@/components/ui/form-message";
import { SubmitButton } from "@/components/ui/submit-button";
import { TextField } from "@/components/ui/text-field";

/** The org's alert webhook URL and its signing secret, behind a reveal. */
export function WebhookSettings({ orgId, endpoint }: { orgId: string; endpoint: { url: string; secret: string } | null }) {
  const [state, formAction] = useActionState(saveAlertWebhook, null);
  return (
    <div className="grid gap-4">
      <form action={formAction} className="flex flex-wrap items-start gap-3" aria-label="Alert webhook">
        <input type="hidden" name="orgId" value={orgId} />
        <TextField
          label="Webhook URL"
          name="url"
          errorId="webhook-url-error"
          state={state}
          className="min-w-72 flex-1"
          type="url"
          required
          defaultValue={state?.values?.url ?? endpoint?.url}
          placeholder="https://example.com/hooks/ledgerline"
        />
        <div className="pt-6">
          <SubmitButton pendingLabel="Saving…">{endpoint ? "Save URL" : "Add webhook"}</SubmitButton>
        </div>
      </form>
      <FormMessage state={state?.fields ? null : state} testId="webhook-message" />
      {endpoint && (
        <div className="grid gap-3 rounded-lg bg-slate-50 px-4 py-3 text-sm">
          <details>
            <summary className="cursor-pointer font-medium text-slate-900">Signing secret</summary>
            <code className="mt-2 block break-all font-mono text-xs text-slate-800" data-testid="webhook-secret">
              {endpoint.secret}
            </code>
          </details>
          <p className="text-xs text-slate-600">
            Each post carries <code className="font-mono">Ledgerline-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex&gt;</code>, where v1 is the HMAC-SHA256 of
            <code className="font-mono"> &lt;t&gt;.&lt;raw body&gt;</code> with this secret. Reject old timestamps and drop repeated event ids: a retried alert keeps its id.
          </p>
          <div className="flex flex-wrap gap-2">
            <ActionButton action={rotateAlertSecret} fields={{ orgId }} label="Rotate secret" pendingLabel="Rotating…" confirm="Rotate the signing secret? The current one stops verifying at once." />
            <ActionButton action={removeAlertWebhook} fields={{ orgId }} label="Remove webhook" pendingLabel="Removing…" variant="danger" confirm="Stop posting alerts to this URL?" />
          </div>
        </div>
      )}
    </div>
  );
}
