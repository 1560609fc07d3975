"use client";

import { useActionState } from "react";
import { moveSeat } from "@/app/(app)/admin/members/actions";
import { FormMessage } from "@/components/ui/form-message";
import { SubmitButton } from "@/components/ui/submit-button";
import type { SeatType } from "@/lib/admin/seats";

/** A member's seat type, changeable when the plan has a seat of the other type free. */
export function SeatSelect({ orgId, userId, name, seatType, seatTypes }: { orgId: string; userId: string; name: string; seatType: SeatType; seatTypes: { value: SeatType; label: string }[] }) {
  const [state, formAction] = useActionState(moveSeat, null);
  return (
    <form action={formAction} className="flex flex-wrap items-center justify-end gap-2">
      <input type="hidden" name="orgId" value={orgId} />
      <input type="hidden" name="userId" value={userId} />
      <select
        name="seatType"
        defaultValue={seatType}
        aria-label={`Seat type for ${name}`}
        className="rounded-md border-0 py-1 pl-2 pr-7 text-sm text-slate-900 ring-1 ring-slate-300 focus:ring-2 focus:ring-blue-600"
      >
        {seatTypes.map((seat) => (
          <option key={seat.value} value={seat.value}>
            {seat.label}
          </option>
        ))}
      </select>
      <SubmitButton size="sm" variant="secondary" pendingLabel="Saving…">
        Change
      </SubmitButton>
      <FormMessage state={state} className="basis-full text-right text-xs" />
    </form>
  );
}
