"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

/** A header link that marks the current page (aria-current), which only the browser's location can tell. */
export function NavLink({ href, children }: { href: string; children: React.ReactNode }) {
  const current = usePathname() === href;
  return (
    <Link
      href={href}
      aria-current={current ? "page" : undefined}
      className="shrink-0 rounded-md px-3 py-1.5 text-sm font-medium text-slate-600 hover:bg-slate-100 hover:text-slate-900 aria-[current=page]:bg-slate-100 aria-[current=page]:text-slate-900"
    >
      {children}
    </Link>
  );
}
