/**
 * CSV as RFC 4180 writes it: fields separated by commas, records ended by
 * CRLF, and a field quoted (its quotes doubled) when it holds a comma, a
 * quote, CR or LF. Any other text is written as it is, so every value reads
 * back exactly as it was: nothing is trimmed, escaped or prefixed.
 */

const NEEDS_QUOTES = /[",\r\n]/;

export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  const text = String(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record, with its CRLF. */
export function csvRecord(values: readonly (string | number | null | undefined)[]): string {
  return `${values.map(csvField).join(",")}\r\n`;
}
