import type { BarView } from "@/lib/usage-view";
import { TONE_FILL } from "./tones";

/**
 * An accessible usage bar. aria-valuenow stays within 0-100 as ARIA requires;
 * the exact figure (106% on a soft cap) is in aria-valuetext. `backdrop` draws
 * a lighter layer behind the fill: the whole org's use of a pool the viewer shares.
 */
export function ProgressBar({ bar, label, backdrop, size = "md" }: { bar: BarView; label: string; backdrop?: number | null; size?: "md" | "lg" }) {
  const width = (percent: number) => `${Math.min(100, Math.max(0, percent))}%`;
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.min(100, Math.floor(bar.percent))}
      aria-valuetext={`${bar.label} used`}
      data-tone={bar.tone}
      className={`relative w-full overflow-hidden rounded-full bg-meter-track ${size === "lg" ? "h-3" : "h-2"}`}
    >
      {backdrop != null && <div className={`absolute inset-y-0 left-0 opacity-30 ${TONE_FILL[bar.tone]}`} style={{ width: width(backdrop) }} />}
      <div className={`absolute inset-y-0 left-0 rounded-full ${TONE_FILL[bar.tone]}`} style={{ width: width(bar.percent) }} />
    </div>
  );
}
