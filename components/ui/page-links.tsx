import Link from "next/link";
import type { PagesView } from "@/lib/pagination";

/** Previous and Next between pages of members, with where this page sits; nothing when there is one page. */
export function PageLinks({ pages, href }: { pages: PagesView; href: (page: number) => string }) {
  if (pages.pageCount === 1) return null;
  const link = (page: number, label: string) => (
    <Link href={href(page)} className="text-blue-700 hover:text-blue-800">{label}</Link>
  );
  return (
    <nav aria-label="Member pages" className="mt-4 flex items-center justify-between text-sm font-semibold">
      {pages.page > 1 ? link(pages.page - 1, "Previous") : <span />}
      <span className="font-normal text-slate-600">
        {`Members ${pages.first.toLocaleString("en-US")}–${pages.last.toLocaleString("en-US")} of ${pages.total.toLocaleString("en-US")}`}
      </span>
      {pages.page < pages.pageCount ? link(pages.page + 1, "Next") : <span />}
    </nav>
  );
}
