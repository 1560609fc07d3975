"use client";

import { Area, AreaChart } from "recharts";
import type { MeterTone } from "@/lib/meter-tone";
import { TONE_COLOR } from "./tones";

/** The last six periods of a meter, inline. Decorative: the meter states the same data in words. */
export function Sparkline({ values, tone }: { values: number[]; tone: MeterTone }) {
  const data = values.map((value, i) => ({ i, value }));
  const color = TONE_COLOR[tone];
  return (
    // No accessibility layer: it would make a hidden chart focusable (a tab stop that says nothing).
    <AreaChart width={88} height={28} data={data} margin={{ top: 2, right: 1, bottom: 2, left: 1 }} accessibilityLayer={false} aria-hidden="true" className="shrink-0">
      <Area type="monotone" dataKey="value" stroke={color} strokeWidth={1.5} fill={color} fillOpacity={0.12} isAnimationActive={false} dot={false} />
    </AreaChart>
  );
}
