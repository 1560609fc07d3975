import Link from "next/link";
import type { PersonalMeterView } from "@/lib/usage-view";
import { Card, CardHeader } from "@/components/ui/card";
import { ProgressBar } from "./progress-bar";

const ALLOCATIONS_PATH = "Admin > Usage & Limits > Per-user allocations";
/** What a used-up allocation refuses, as a sentence starts with it and within one ("AI" keeps its capitals). */
const BLOCKED_FEATURES: Record<PersonalMeterView["metric"], { start: string; within: string }> = {
  ai_budget: { start: "AI features", within: "AI features" },
  enrichments: { start: "Enrichments", within: "enrichments" },
};

/** `allocationsHref` is set for admins: the allocations page is theirs to open, everyone else asks them. */
export function MyUsage({ meters, allocationsHref }: { meters: PersonalMeterView[] | null; allocationsHref: string | null }) {
  return (
    <Card aria-labelledby="my-usage-title" className="p-5 sm:p-6">
      <CardHeader id="my-usage-title" title="My usage" description="Your own consumption this cycle, against your allocation or the organization pool." />
      {meters ? (
        <ul className="mt-4 grid gap-6 md:grid-cols-2">
          {meters.map((meter) => (
            <PersonalMeter key={meter.metric} meter={meter} allocationsHref={allocationsHref} />
          ))}
        </ul>
      ) : (
        <p className="mt-4 text-sm text-slate-500">You have no usage of your own in this organization.</p>
      )}
    </Card>
  );
}

function PersonalMeter({ meter, allocationsHref }: { meter: PersonalMeterView; allocationsHref: string | null }) {
  return (
    <li data-testid={`my-${meter.metric}`}>
      <div className="flex items-baseline justify-between gap-3">
        <p className="text-sm font-medium text-slate-900">{meter.label}</p>
        <p className="text-sm tabular-nums text-slate-600">{meter.detail}</p>
      </div>
      <div className="mt-2">
        <ProgressBar bar={meter.bar} label={`My ${meter.label} used`} backdrop={meter.poolPercent} />
      </div>
      <p className="mt-1.5 text-xs text-slate-500">{meter.basis === "allocation" ? "Personal allocation set by an admin" : "You share the organization pool"}</p>
      {meter.forecast && (
        <p className="mt-1 text-xs text-slate-600" data-testid={`my-forecast-${meter.metric}`}>
          {meter.forecast}
        </p>
      )}
      <PersonalStatusNote meter={meter} allocationsHref={allocationsHref} />
    </li>
  );
}

function PersonalStatusNote({ meter, allocationsHref }: { meter: PersonalMeterView; allocationsHref: string | null }) {
  const blocked = BLOCKED_FEATURES[meter.metric];
  const where = allocationsHref ? (
    <Link href={allocationsHref} className="font-semibold underline underline-offset-2">
      {ALLOCATIONS_PATH}
    </Link>
  ) : (
    <strong className="font-semibold">{ALLOCATIONS_PATH}</strong>
  );
  if (meter.status === "ok" || (meter.basis === "pool" && meter.status === "nearly")) return null;
  if (meter.status === "pool_exhausted") {
    const yours = meter.basis === "allocation" ? ", even though your allocation has room" : "";
    return <Note tone="danger">{`The organization pool is used up for this cycle: ${blocked.within} return a 429 error${yours}. Ask an admin about raising the organization's limit.`}</Note>;
  }
  return meter.status === "exhausted" ? (
    <Note tone="danger">
      {`You have used your allocation. ${blocked.start} return a 429 error until an admin raises it at `}
      {where}.
    </Note>
  ) : (
    <Note tone="warning">
      {`Nearly used up. At 100%, ${blocked.within} return a 429 error until an admin raises your allocation at `}
      {where}.
    </Note>
  );
}

function Note({ tone, children }: { tone: "warning" | "danger"; children: React.ReactNode }) {
  const colors = tone === "danger" ? "bg-red-50 text-red-800" : "bg-amber-50 text-amber-900";
  return (
    <p role="status" className={`mt-2 rounded-md px-3 py-2 text-sm ${colors}`}>
      {children}
    </p>
  );
}
