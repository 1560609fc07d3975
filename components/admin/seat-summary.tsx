import type { SeatView } from "@/lib/admin/members-view";

/** Seats in use per type, counting open invitations, against the plan's caps. */
export function SeatSummary({ seats, planName }: { seats: SeatView[]; planName: string }) {
  return (
    <ul className="grid gap-3 sm:grid-cols-2" aria-label={`Seats on the ${planName} plan`}>
      {seats.map((seat) => (
        <li key={seat.seatType} className="rounded-lg bg-slate-50 px-4 py-3" data-testid={`seats-${seat.seatType}`}>
          <p className="text-sm text-slate-500">{seat.label} seats</p>
          <p className="text-lg font-semibold tabular-nums text-slate-900">
            {seat.members + seat.pending} <span className="text-sm font-normal text-slate-500">of {seat.limit}</span>
          </p>
          <p className="text-xs text-slate-500">
            {seat.members} {seat.members === 1 ? "member" : "members"}, {seat.pending} pending
            {seat.full && <span className="ml-1 font-medium text-amber-800">· full</span>}
          </p>
        </li>
      ))}
    </ul>
  );
}
