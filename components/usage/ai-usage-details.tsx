import type { AiPanelView } from "@/lib/usage-view";
import { ProgressBar } from "./progress-bar";

/**
 * The AI panel's body in one of two modes. In "dollars" mode it reads
 * `ai.dollars`, which the view model fills only for viewers allowed to see it.
 */
export function AiUsageDetails({ ai, mode }: { ai: AiPanelView; mode: "percent" | "dollars" }) {
  const dollars = mode === "dollars" ? ai.dollars : null;
  const forecast = dollars ? dollars.forecast : ai.forecast;
  const usedText = dollars
    ? dollars.limit ? `${dollars.used} of ${dollars.limit}` : `${dollars.used} spent`
    : ai.bar ? `${ai.bar.label} of monthly AI pool` : "Unlimited AI pool";
  return (
    <div className="mt-5" data-amounts={mode}>
      <div className="flex items-baseline justify-between gap-3 text-sm">
        <p className="font-medium text-slate-900" data-testid="ai-budget-used">{usedText}</p>
        <p className="shrink-0 text-slate-500">Resets {ai.resetsOn}</p>
      </div>
      <div className="mt-2">{ai.bar && <ProgressBar bar={ai.bar} label="AI budget used this cycle" size="lg" />}</div>
      {forecast && (
        <p className="mt-1.5 text-xs text-slate-600" data-testid="forecast-ai_budget">
          {forecast}
        </p>
      )}
      {ai.blocked && (
        <p className="mt-1.5 text-xs font-medium text-red-700" data-testid="blocked-ai_budget">
          {ai.blocked}
        </p>
      )}

      <h3 className="mt-6 text-xs font-semibold uppercase tracking-wide text-slate-500">By category</h3>
      <ul className="mt-1 grid gap-x-8 sm:grid-cols-2">
        {ai.features.map((f) => (
          <li key={f.feature} className="border-b border-slate-100 py-2.5" data-testid={`ai-category-${f.feature}`}>
            <div className="flex items-baseline justify-between gap-3">
              <p className="text-sm font-medium text-slate-900">
                {f.label}
                <span className="ml-2 text-xs font-normal text-slate-500">{f.tier ?? "No use yet"}</span>
              </p>
              <p className="text-sm tabular-nums text-slate-700">{dollars ? dollars.byFeature[f.feature] : f.shareLabel}</p>
            </div>
            <div className="mt-1.5 h-1.5 overflow-hidden rounded-full bg-meter-track" aria-hidden="true">
              <div className="h-full rounded-full bg-meter-normal" style={{ width: `${f.share}%` }} />
            </div>
          </li>
        ))}
      </ul>
      <p className="mt-2 text-xs text-slate-500">{dollars ? "Spend this cycle, by category." : "Share of this cycle's AI use, by category."}</p>

      {ai.credits && (
        <div className="mt-5 flex items-center justify-between rounded-lg bg-slate-50 px-4 py-3 text-sm">
          <div>
            <p className="font-medium text-slate-900">Credit balance</p>
            <p className="text-xs text-slate-500">Prepaid overage, used once the monthly pool runs out.</p>
            {dollars?.creditsExpiring && (
              <p className="text-xs font-medium text-slate-700" data-testid="credits-expiring">
                {dollars.creditsExpiring}
              </p>
            )}
          </div>
          <p className="font-semibold tabular-nums text-slate-900" data-testid="credit-balance">{dollars?.credits ?? ai.credits.label}</p>
        </div>
      )}
    </div>
  );
}
