"use client";

export default function UsageError({ error, retry }: { error: unknown; retry: () => void }) {
  const digest = error instanceof Error && "digest" in error ? String(error.digest) : null;
  return (
    <div role="alert" className="rounded-xl bg-white p-8 text-center shadow-sm ring-1 ring-slate-200">
      <h1 className="text-lg font-semibold text-slate-900">Usage could not be loaded</h1>
      <p className="mt-1 text-sm text-slate-600">The usage store did not answer. Nothing is lost; try again in a moment.</p>
      {digest && <p className="mt-1 text-xs text-slate-400">Reference {digest}</p>}
      <button type="button" onClick={() => retry()} className="mt-5 rounded-lg bg-blue-600 px-3.5 py-2 text-sm font-semibold text-white hover:bg-blue-700">
        Try again
      </button>
    </div>
  );
}
