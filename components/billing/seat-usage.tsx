import type { BillingView } from "@/lib/billing-view";
import { Card, CardHeader } from "@/components/ui/card";

export function SeatUsage({ seats }: { seats: BillingView["seats"] }) {
  return (
    <Card aria-labelledby="seats-title" className="p-5 sm:p-6">
      <CardHeader id="seats-title" title="Seats" description="Seats gate new invitations only; they never block AI calls, email sends or other actions." />
      <ul className="mt-4 grid gap-3 sm:grid-cols-2">
        {seats.map((seat) => (
          <li key={seat.label} className="rounded-lg bg-slate-50 px-4 py-3">
            <p className="text-sm text-slate-500">{seat.label} seats</p>
            <p className="text-lg font-semibold tabular-nums text-slate-900">
              {seat.used} <span className="text-sm font-normal text-slate-500">of {seat.limit}</span>
            </p>
          </li>
        ))}
      </ul>
    </Card>
  );
}
