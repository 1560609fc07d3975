"use client";

import { Area, AreaChart, CartesianGrid, Tooltip, XAxis, YAxis } from "recharts";
import { formatQuantity } from "@/lib/format";
import type { HistoryChartView } from "@/lib/usage-view";

export function HistoryChart({ chart }: { chart: HistoryChartView }) {
  const format = (value: number) => formatQuantity(value, chart.unit);
  const gradient = `history-${chart.metric}`;
  return (
    <AreaChart responsive data={chart.points} margin={{ top: 8, right: 8, bottom: 0, left: 0 }} style={{ width: "100%", height: 140 }}>
      <defs>
        <linearGradient id={gradient} x1="0" y1="0" x2="0" y2="1">
          <stop offset="0%" stopColor="var(--color-meter-normal)" stopOpacity={0.25} />
          <stop offset="100%" stopColor="var(--color-meter-normal)" stopOpacity={0} />
        </linearGradient>
      </defs>
      <CartesianGrid vertical={false} stroke="#e2e8f0" />
      <XAxis dataKey="month" tickLine={false} axisLine={false} tick={{ fontSize: 11, fill: "#64748b" }} />
      <YAxis width={chart.unit === "bytes" ? 60 : 44} tickLine={false} axisLine={false} tick={{ fontSize: 11, fill: "#64748b" }} tickFormatter={format} />
      <Tooltip formatter={(value) => [format(Number(value)), chart.label]} />
      <Area type="monotone" dataKey="value" stroke="var(--color-meter-normal)" strokeWidth={2} fill={`url(#${gradient})`} isAnimationActive={false} />
    </AreaChart>
  );
}
