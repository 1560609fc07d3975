/** Liveness: constant JSON, no store access. Also the benchmark's framework floor. */
export function GET() {
  return Response.json({ ok: true, service: "ledgerline" });
}
