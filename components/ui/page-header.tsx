import type { ReactNode } from "react";

/** A page's title block: breadcrumb, title and a line of context. */
export function PageHeader({ trail, title, description }: { trail: string[]; title: string; description?: ReactNode }) {
  return (
    <header className="mb-6">
      <p className="text-xs font-medium uppercase tracking-wide text-slate-500">{trail.join(" › ")}</p>
      <h1 className="mt-1 text-2xl font-semibold tracking-tight text-slate-900">{title}</h1>
      {description && <p className="mt-1 text-sm text-slate-600">{description}</p>}
    </header>
  );
}
