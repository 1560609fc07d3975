import { headers } from "next/headers";
import Link from "next/link";
import { audienceOf, PATHNAME_HEADER } from "@/lib/auth/page-audience";

export default async function Forbidden() {
  const audience = audienceOf((await headers()).get(PATHNAME_HEADER));
  return (
    <div className="rounded-xl bg-white p-8 text-center shadow-sm ring-1 ring-slate-200">
      <p className="text-sm font-semibold text-red-700">403</p>
      <h1 className="mt-1 text-lg font-semibold text-slate-900">You don&apos;t have access to this page</h1>
      <p className="mt-1 text-sm text-slate-600" data-testid="forbidden-audience">
        This page is for {audience}. Ask an admin if you need something changed.
      </p>
      <Link href="/settings/usage" className="mt-5 inline-block text-sm font-semibold text-blue-700 hover:text-blue-800">
        Back to Usage
      </Link>
    </div>
  );
}
