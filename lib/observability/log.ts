import pino, { type DestinationStream, type Logger } from "pino";
import { processSingleton } from "@/lib/process/singleton";

/** Fields censored wherever they appear in a log line, should any caller pass one. */
const SECRET_FIELDS = ["authorization", "apiKey", "secret", "password", "token", "cookie"];

/**
 * A structured JSON logger (one object per line). No caller logs a request's
 * headers or body, and the fields above are censored besides, so an API key or
 * a secret never reaches the log.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: "ledgerline" },
      redact: { paths: [...SECRET_FIELDS, ...SECRET_FIELDS.map((field) => `*.${field}`)], censor: "[redacted]" },
      // An error is logged as what it says, never its other fields: a driver's error carries its
      // connection (and its settings, a password among them).
      serializers: { err: errorFields },
    },
    destination,
  );
}

function errorFields(error: unknown) {
  if (!(error instanceof Error)) return { message: String(error) };
  const { code } = error as { code?: unknown };
  return { type: error.name, message: error.message, code: typeof code === "string" ? code : undefined, stack: error.stack };
}

/** The process's logger, on stdout: level from LOG_LEVEL (default info; silent under the test runner). */
export const logger = (): Logger =>
  processSingleton("logger", () => createLogger(process.env.LOG_LEVEL ?? (process.env.VITEST ? "silent" : "info")));
