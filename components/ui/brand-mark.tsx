/** The Ledgerline mark and name, atop the pages shown outside the app's header (sign-in, invitation). */
export function BrandMark() {
  return (
    <div className="mb-6 flex items-center gap-2 text-lg font-semibold tracking-tight text-slate-900">
      <span aria-hidden="true" className="grid h-8 w-8 place-items-center rounded-lg bg-blue-600 text-white">
        L
      </span>
      Ledgerline
    </div>
  );
}
