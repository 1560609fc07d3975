/**
 * Reads CSV as RFC 4180 defines it, independently of the writer under test
 * (lib/export/csv.ts): records end in CRLF, a quoted field may hold commas,
 * CR, LF and doubled quotes. Refuses anything else, so a writer that forgets
 * to quote fails here instead of reading back by luck.
 */
export function readCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let i = 0;
  while (i < text.length) {
    let field = "";
    if (text[i] === '"') {
      i += 1;
      for (;;) {
        if (i >= text.length) throw new Error("unterminated quoted field");
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        field += text[i++];
      }
    } else {
      while (i < text.length && text[i] !== "," && text[i] !== "\r" && text[i] !== "\n") {
        if (text[i] === '"') throw new Error(`a quote inside an unquoted field at ${i}`);
        field += text[i++];
      }
    }
    record.push(field);
    if (text[i] === ",") {
      i += 1;
      continue;
    }
    if (text.startsWith("\r\n", i)) {
      records.push(record);
      record = [];
      i += 2;
      continue;
    }
    throw new Error(i >= text.length ? "the last record has no CRLF" : `unexpected ${JSON.stringify(text[i])} at ${i}`);
  }
  return records;
}

/** Header and records as objects keyed by the header's names. */
export function csvObjects(text: string): { header: string[]; rows: Record<string, string>[] } {
  const [header, ...records] = readCsv(text);
  return { header, rows: records.map((record) => Object.fromEntries(header.map((name, k) => [name, record[k]]))) };
}
