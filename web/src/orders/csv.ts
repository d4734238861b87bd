// A CSV file Excel opens right: UTF-8 with a BOM, CRLF, fields quoted when needed.
export function csvField(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v)
  // A leading = + - @ would be taken for a formula by spreadsheets.
  const safe = /^[=+\-@]/.test(s) ? "'" + s : s
  return /[",\r\n]/.test(safe) ? '"' + safe.replace(/"/g, '""') + '"' : safe
}

export function toCsv(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return '\uFEFF' + [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n'
}
