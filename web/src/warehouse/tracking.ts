// Tracking numbers pasted into the ship screen become the CSV the tracking
// import takes (POST /api/v1/shipping/tracking: 订单编号,物流公司,物流单号).
// The server checks every row; this only reshapes what was pasted.

export interface TrackingRow {
  order_no: string
  courier: string
  tracking_no: string
}

const HEADER_WORDS = ['订单编号', '订单号', 'order_no', '主订单编号']

/** Splits pasted text (tabs from Excel, commas, or runs of spaces) into rows; a header line is skipped. */
export function parsePasted(text: string): TrackingRow[] {
  const rows: TrackingRow[] = []
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim()
    if (!line) continue
    let cells = line.includes('\t') ? line.split('\t') : line.includes(',') ? line.split(',') : line.split(/\s+/)
    cells = cells.map((c) => c.trim().replace(/^"(.*)"$/, '$1'))
    if (HEADER_WORDS.includes(cells[0])) continue
    rows.push({ order_no: cells[0] || '', courier: cells[1] || '', tracking_no: cells[2] || '' })
  }
  return rows
}

function cell(s: string): string {
  return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s
}

/** The rows as the import's CSV (UTF-8 with BOM, CRLF); line 2 is the first row. */
export function trackingCsv(rows: TrackingRow[]): string {
  const out = ['订单编号,物流公司,物流单号']
  for (const r of rows) out.push([r.order_no, r.courier, r.tracking_no].map(cell).join(','))
  return '\uFEFF' + out.join('\r\n') + '\r\n'
}
