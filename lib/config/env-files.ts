import nextEnv from "@next/env";

/**
 * Loads the .env files as Next.js does (`.env.<mode>.local`, `.env.local`,
 * `.env.<mode>`, `.env`; a variable already set wins), for the code that runs
 * before Next does: `scripts/db-prepare.ts` and the production server's own
 * start-up check. Without it they would judge a different environment from
 * the one Next then serves with: refuse a good AUTH_SECRET kept in .env, miss
 * a shipped one, or migrate another database than .env's DATABASE_URL.
 */
export function loadEnvFiles(mode: "development" | "production"): void {
  nextEnv.loadEnvConfig(process.cwd(), mode === "development");
}
