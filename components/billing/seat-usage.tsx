import type { BillingView } from "@/lib/billing-view";
import { Card, CardHeader } from "@/components/ui/card";

/** Seats in use per seat type against the plan's caps. */
export function SeatUsage({ seats }: { seats: BillingView["seats"] }) {
  return (
    <Card aria-labelledby="seats-title" className="p-5 sm:p-6">
      <CardHeader id="seats-title" title="Seats" description="Seats gate new invitations only; they never block AI calls, email sends or other actions." />
      <ul className="mt-4 grid gap-3 sm:grid-cols-2">
        {seats.map((seat) => (
          <li key={seat.label} className={`rounded-lg px-4 py-3 ${seat.over ? "bg-amber-50" : "bg-slate-50"}`} data-testid={`seats-${seat.label.toLowerCase()}`}>
            <p className="text-sm text-slate-500">{seat.label} seats</p>
            <p className="text-lg font-semibold tabular-nums text-slate-900">
              {seat.used} <span className="text-sm font-normal text-slate-500">of {seat.limit}</span>
            </p>
            {seat.over && <p className="mt-0.5 text-xs text-amber-900">Over the plan&apos;s cap: no new invitations until a seat is freed or the plan grows.</p>}
          </li>
        ))}
      </ul>
    </Card>
  );
}
