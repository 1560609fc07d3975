"use client";

import { useActionState } from "react";
import { sendInvitation } from "@/app/(app)/admin/members/actions";
import { FormMessage } from "@/components/ui/form-message";
import { SubmitButton } from "@/components/ui/submit-button";
import { TextField } from "@/components/ui/text-field";
import type { MembersView } from "@/lib/admin/members-view";

const select = "mt-1 block w-full rounded-md border-0 px-2.5 py-1.5 text-sm text-slate-900 ring-1 ring-slate-300 focus:ring-2 focus:ring-blue-600";

/** Invite by email with a role and a seat type; a full seat type is refused with the reason. */
export function InviteForm({ view }: { view: Pick<MembersView, "orgId" | "invitableRoles" | "seatTypes"> }) {
  const [state, formAction] = useActionState(sendInvitation, null);
  return (
    <form action={formAction} className="grid gap-3" aria-label="Invite a member">
      <input type="hidden" name="orgId" value={view.orgId} />
      <div className="grid gap-3 sm:grid-cols-[minmax(0,2fr)_minmax(0,1fr)_minmax(0,1fr)_auto] sm:items-start">
        <TextField
          label="Email"
          name="email"
          errorId="invite-email-error"
          state={state}
          type="email"
          required
          autoComplete="off"
          defaultValue={state?.values?.email}
          placeholder="name@company.com"
        />
        <label className="text-sm font-medium text-slate-700">
          Role
          <select name="role" defaultValue={state?.values?.role ?? "user"} className={select}>
            {view.invitableRoles.map((role) => (
              <option key={role.value} value={role.value}>
                {role.label}
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm font-medium text-slate-700">
          Seat
          <select name="seatType" defaultValue={state?.values?.seatType ?? "collaborator"} className={select}>
            {view.seatTypes.map((seat) => (
              <option key={seat.value} value={seat.value}>
                {seat.label}
              </option>
            ))}
          </select>
        </label>
        <div className="sm:pt-6">
          <SubmitButton pendingLabel="Sending…">Send invitation</SubmitButton>
        </div>
      </div>
      <FormMessage state={state?.fields?.email ? null : state} testId="invite-message" />
    </form>
  );
}
