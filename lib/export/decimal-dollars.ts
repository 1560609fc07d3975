/**
 * Integer micro-dollars as an exact decimal dollar amount: "12340000" ->
 * "12.340000", "-5" -> "-0.000005". Done on the digits, never through a
 * float, so a sum of exported amounts is exactly the sum of the micro-dollars.
 * (formatMicros in lib/format.ts is for people: "$12.34", rounded to cents,
 * with thousands separators; a data file needs every micro-dollar.)
 */
export function decimalDollars(micros: bigint | number | string): string {
  const value = BigInt(micros);
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(7, "0");
  return `${negative ? "-" : ""}${digits.slice(0, -6)}.${digits.slice(-6)}`;
}
