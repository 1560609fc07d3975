import Link from "next/link";
import type { MeterGroupView, SeatsView } from "@/lib/usage-view";
import { Card } from "@/components/ui/card";
import { SOFT_CAP_CEILING_PERCENT } from "@/lib/limits/cap-policy";
import { USAGE_THRESHOLDS } from "@/lib/limits/thresholds";
import { SETTINGS_BILLING_PATH } from "@/lib/plan-upgrade";
import { Meter } from "./meter";

export function OrgMeters({ groups, seats }: { groups: MeterGroupView[]; seats: SeatsView }) {
  return (
    <section aria-labelledby="org-meters-title">
      <h2 id="org-meters-title" className="text-lg font-semibold text-slate-900">
        Organization-wide meters
      </h2>
      <p className="mt-0.5 text-sm text-slate-500">Hard caps deny at 100%; soft caps allow up to {SOFT_CAP_CEILING_PERCENT}%; Unlimited means no cap on this plan. Bars turn yellow at {USAGE_THRESHOLDS.warning}%, orange at {USAGE_THRESHOLDS.high}% and red at {USAGE_THRESHOLDS.full}%.</p>
      <div className="mt-4 grid gap-4 lg:grid-cols-3">
        {groups.map((group) => (
          <Card key={group.id} aria-labelledby={`group-${group.id}`} className="px-5 pt-4 pb-2">
            <div className="flex items-baseline justify-between gap-2">
              <h3 id={`group-${group.id}`} className="text-sm font-semibold text-slate-900">
                {group.title}
              </h3>
              {group.resetsOn && <p className="text-xs text-slate-500">Resets {group.resetsOn}</p>}
            </div>
            <p className="text-xs text-slate-500">{group.note}</p>
            <ul className="divide-y divide-slate-100">
              {group.meters.map((meter) => (
                <Meter key={meter.metric} meter={meter} />
              ))}
            </ul>
          </Card>
        ))}
      </div>
      <p className="mt-3 text-sm text-slate-600" data-testid="seats-line">
        Seats: {seats.power.used} of {seats.power.limit} Power and {seats.collaborator.used} of {seats.collaborator.limit} Collaborator in use. Seats are managed in{" "}
        <Link href={SETTINGS_BILLING_PATH} className="font-medium text-blue-700 underline underline-offset-2 hover:text-blue-800">
          Settings &gt; Billing
        </Link>
        ; they gate new invitations only and never block AI calls or other actions.
      </p>
    </section>
  );
}
