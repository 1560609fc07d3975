import { SHIPPED_DEFAULTS } from "./shipped-defaults";

/**
 * What a production server must not start with. The shipped development
 * values are public (they are in the repository and the README), so a server
 * that uses them lets anyone forge sessions, sign Stripe events or call the
 * API as the demo orgs. A demo deployment says so with LEDGERLINE_DEMO=true,
 * and only then may use them, seed the demo orgs and offer demo sign-in.
 */

/** A deployment that is the demo on purpose: seeded demo orgs, demo sign-in, the shipped values allowed. */
export function isDemoDeployment(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.LEDGERLINE_DEMO === "true";
}

/** Auth.js encrypts session tokens with AUTH_SECRET: fewer than 32 characters is too guessable. */
const MIN_SECRET_LENGTH = 32;

/** Every reason this environment may not run a production server, each naming its variable. */
export function productionProblems(env: NodeJS.ProcessEnv): string[] {
  const problems: string[] = [];
  const secret = env.AUTH_SECRET?.trim() ?? "";
  if (!secret) problems.push("AUTH_SECRET is not set: set it to a long random string (`openssl rand -base64 32`).");
  else if (!isDemoDeployment(env) && secret.length < MIN_SECRET_LENGTH) {
    problems.push(`AUTH_SECRET is shorter than ${MIN_SECRET_LENGTH} characters: set it to a long random string (\`openssl rand -base64 32\`).`);
  }
  const metricsToken = env.METRICS_TOKEN?.trim() ?? "";
  if (metricsToken && !isDemoDeployment(env) && metricsToken.length < MIN_SECRET_LENGTH) {
    problems.push(`METRICS_TOKEN is shorter than ${MIN_SECRET_LENGTH} characters: set a long random one (\`openssl rand -hex 32\`), or unset it to turn /metrics off.`);
  }
  if (isDemoDeployment(env)) return problems;
  for (const [name, shipped] of Object.entries(SHIPPED_DEFAULTS)) {
    if (env[name]?.trim() === shipped) {
      problems.push(`${name} holds the development value shipped in .env.example: ${name.startsWith("DEMO_API_KEY_") ? "remove it" : "replace it with your own secret"}, or set LEDGERLINE_DEMO=true for a demo deployment.`);
    }
  }
  return problems;
}

/** Stops a production start-up with every problem named, before anything listens or is written. */
export function refuseUnsafeProduction(env: NodeJS.ProcessEnv = process.env): void {
  const problems = productionProblems(env);
  if (!problems.length) return;
  console.error(`Ledgerline will not start in production:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  process.exit(1);
}
