// Display helpers. Money arrives as integer fen and time as UTC ISO-8601; the
// calendar the staff work by is Asia/Shanghai whatever the browser's zone is.

export function fen(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—'
  const neg = n < 0
  const abs = Math.abs(Math.trunc(n))
  const yuan = Math.floor(abs / 100)
  const cents = String(abs % 100).padStart(2, '0')
  const grouped = String(yuan).replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return (neg ? '-' : '') + '¥' + grouped + '.' + cents
}

/** "12.50" or "12" or "¥1,234.5" typed by a person → fen; null when not money. */
export function parseYuan(s: string): number | null {
  const t = s.replace(/[¥,\s]/g, '').replace('￥', '')
  const m = /^(-)?(\d+)(?:\.(\d{1,2}))?$/.exec(t)
  if (!m) return null
  const v = Number(m[2]) * 100 + Number((m[3] || '').padEnd(2, '0'))
  return m[1] ? -v : v
}

const parts = (d: Date) => {
  const f = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
  })
  const o: Record<string, string> = {}
  for (const p of f.formatToParts(d)) o[p.type] = p.value
  return o
}

function toDate(v: string | number | null | undefined): Date | null {
  if (v === null || v === undefined || v === '') return null
  const d = typeof v === 'number' ? new Date(v * 1000) : new Date(v)
  return Number.isNaN(d.getTime()) ? null : d
}

/** "2026-11-24 09:05" in Shanghai time. Numbers are UTC seconds. */
export function datetime(v: string | number | null | undefined, seconds = false): string {
  const d = toDate(v)
  if (!d) return '—'
  const p = parts(d)
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}` + (seconds ? ':' + p.second : '')
}

/** "2026-11-24", the Shanghai calendar day. */
export function day(v: string | number | Date | null | undefined): string {
  const d = v instanceof Date ? v : toDate(v as string | number)
  if (!d) return '—'
  const p = parts(d)
  return `${p.year}-${p.month}-${p.day}`
}

/** The UTC instant at which a Shanghai calendar day ("2026-11-24") starts, as ISO. */
export function shanghaiDayStartUtc(ymd: string): string {
  const [y, m, d] = ymd.split('-').map(Number)
  return new Date(Date.UTC(y, m - 1, d, 0, 0, 0) - 8 * 3600 * 1000).toISOString().replace('.000Z', 'Z')
}

/** Adds n days to a "YYYY-MM-DD" date. */
export function addDays(ymd: string, n: number): string {
  const [y, m, d] = ymd.split('-').map(Number)
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10)
}

export function grams(g: number | null | undefined): string {
  if (g === null || g === undefined) return '—'
  return g >= 1000 ? (g / 1000).toFixed(2) + ' kg' : g + ' g'
}
