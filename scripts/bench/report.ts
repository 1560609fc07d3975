import type { ExactnessLine } from "./exactness";

/** Prints the bench table: each figure, its baseline and ratio, and PASS/FAIL per target. */
export interface Row {
  name: string;
  value: number;
  unit: string;
  p99?: number;
  baseline?: { name: string; value: number };
  targets?: { label: string; pass: boolean }[];
}

const round = (n: number) => (n >= 100 ? Math.round(n).toLocaleString("en-US") : n.toFixed(1));

export function printReport(rows: Row[], exactness: ExactnessLine[], seconds: number) {
  const lines = [
    `Ledgerline bench, ${new Date().toISOString().slice(0, 16)}Z, ${seconds} s per load, 2 cores shared by server, Postgres and load generator`,
    "",
    "| Row | Figure | p99 | Baseline (same run) | Ratio | Targets |",
    "|---|---|---|---|---|---|",
    ...rows.map((row) => {
      const ratio = row.baseline ? `${(row.value / row.baseline.value).toFixed(2)}x` : "";
      const baseline = row.baseline ? `${row.baseline.name}: ${round(row.baseline.value)}` : "";
      const targets = (row.targets ?? []).map((t) => `${t.pass ? "PASS" : "FAIL"} ${t.label}`).join("; ");
      const p99 = row.p99 === undefined ? "" : `${row.p99} ms`;
      return `| ${row.name} | ${round(row.value)} ${row.unit} | ${p99} | ${baseline} | ${ratio} | ${targets} |`;
    }),
    "",
    "| Exactness after load | Result | Figures |",
    "|---|---|---|",
    ...exactness.map((e) => `| ${e.name} | ${e.exact ? "EXACT" : "MISMATCH"} | ${e.detail} |`),
  ];
  console.log(lines.join("\n"));
  return exactness.every((e) => e.exact);
}
