import type { MeterView } from "@/lib/usage-view";
import { ProgressBar } from "./progress-bar";
import { Sparkline } from "./sparkline";

export function Meter({ meter }: { meter: MeterView }) {
  return (
    <li className="py-3.5" data-testid={`meter-${meter.metric}`}>
      <div className="flex items-center justify-between gap-3">
        <div className="min-w-0">
          <p className="text-sm font-medium text-slate-900">{meter.label}</p>
          <p className="text-sm tabular-nums text-slate-600">
            <span className="font-semibold text-slate-900">{meter.used}</span> / {meter.limit}
            {meter.bar && (
              <>
                {" "}
                {/* The dot is for the eye; a screen reader hears "25K / 25K, 106% used". */}
                <span className="text-slate-500">
                  <span aria-hidden="true">· </span>
                  <span className="sr-only">, </span>
                  {meter.bar.label}
                  <span className="sr-only"> used</span>
                </span>
              </>
            )}
          </p>
        </div>
        <Sparkline values={meter.history} tone={meter.bar?.tone ?? "normal"} />
        <span className="sr-only">{meter.trend}</span>
      </div>
      {meter.bar && (
        <div className="mt-2">
          <ProgressBar bar={meter.bar} label={`${meter.label} used`} />
        </div>
      )}
      {meter.forecast && (
        <p className="mt-1.5 text-xs text-slate-600" data-testid={`forecast-${meter.metric}`}>
          {meter.forecast}
        </p>
      )}
      {meter.notes.map((note) => (
        <p key={note} className="mt-1.5 text-xs text-slate-500">
          {note}
        </p>
      ))}
      {meter.blocked && (
        <p className="mt-1.5 text-xs font-medium text-red-700" data-testid={`blocked-${meter.metric}`}>
          {meter.blocked}
        </p>
      )}
    </li>
  );
}
