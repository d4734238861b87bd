// Client-side helpers of the inventory screens. The numbers all come from the
// API (on-hand, reserved, available, variances); these only shape them.

export interface StockRow {
  sku: string
  title: string
  attrs: string
  warehouse: string
  location: string
  on_hand: number
  reserved: number
  available: number
  out_since: string | null
}

export interface StocktakeLine {
  sku: string
  title: string
  attrs: string
  location: string
  pick_order: number
  expected: number
  counted: number | null
  variance: number | null
}

export interface StocktakeSummary {
  lines: number
  counted: number
  uncounted: number
  over_lines: number
  short_lines: number
  over_qty: number
  short_qty: number
  net: number
}

export interface Stocktake {
  id: number
  warehouse: string
  status: string
  locations: string
  note: string
  created_by: string
  approved_by: string
  version: number
  created_at: string | null
  approved_at: string | null
  summary: StocktakeSummary
  lines?: StocktakeLine[]
}

export const LEDGER_REASONS = ['receive', 'adjust', 'reserve', 'release', 'ship', 'return', 'stocktake'] as const

/** The i18n key of a ledger reason, or null for one the console does not know. */
export function ledgerReasonKey(reason: string): string | null {
  return (LEDGER_REASONS as readonly string[]).includes(reason) ? 'inventory.reasons.' + reason : null
}

/** "+3" / "-2" / "0" for a delta. */
export function signed(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—'
  return n > 0 ? '+' + n : String(n)
}

export function varianceClass(v: number | null | undefined): '' | 'over' | 'short' {
  if (v === null || v === undefined || v === 0) return ''
  return v > 0 ? 'over' : 'short'
}

/** A typed count → a whole number 0..1000000, null when empty, NaN when not a count. */
export function parseCount(s: string | number | null | undefined): number | null {
  if (s === null || s === undefined) return null
  const t = String(s).trim()
  if (!t) return null
  if (!/^\d+$/.test(t)) return NaN
  const n = Number(t)
  return n <= 1000000 ? n : NaN
}

/**
 * The counts to send (PUT /stocktakes/{id}/counts): the typed ones that differ
 * from what the sheet holds. Bad entries come back separately so the screen can
 * point at them instead of sending them.
 */
export function countsToSave(lines: StocktakeLine[], typed: Record<string, string>) {
  const counts: { sku: string; counted: number }[] = []
  const bad: string[] = []
  for (const l of lines) {
    if (!(l.sku in typed)) continue
    const c = parseCount(typed[l.sku])
    if (c === null) continue
    if (Number.isNaN(c)) bad.push(l.sku)
    else if (c !== l.counted) counts.push({ sku: l.sku, counted: c })
  }
  return { counts, bad }
}

/** The variance a typed count would give, before it is saved (the server computes the real one). */
export function previewVariance(l: StocktakeLine, typed: string | undefined): number | null {
  const c = typed === undefined ? l.counted : parseCount(typed)
  if (c === null || c === undefined || Number.isNaN(c)) return l.variance
  return c - l.expected
}

export interface SellItem {
  sku: string
  title: string
  sold_qty: number
  on_hand_start: number
  on_hand_end: number
  sold: boolean
  slow: boolean
}

/** The top sellers for the chart, most sold first. */
export function topSellers(items: SellItem[], n = 20): SellItem[] {
  return [...items].sort((a, b) => b.sold_qty - a.sold_qty || a.sku.localeCompare(b.sku)).slice(0, n)
}

/** A ratio 0..1 (or ppm) as "99.5%". */
export function percent(ratio: number | null | undefined, digits = 1): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '—'
  return (ratio * 100).toFixed(digits).replace(/\.0+$/, '') + '%'
}

/** The ECharts option of the sell-through chart: sold pieces and stock left per SKU. */
export function sellThroughOption(items: SellItem[], labels: { sold: string; left: string }) {
  const top = topSellers(items)
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { data: [labels.sold, labels.left], top: 0 },
    grid: { left: 48, right: 16, top: 36, bottom: 90 },
    xAxis: { type: 'category', data: top.map((i) => i.sku), axisLabel: { rotate: 45, fontSize: 11 } },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      { name: labels.sold, type: 'bar', data: top.map((i) => i.sold_qty), itemStyle: { color: '#409eff' } },
      { name: labels.left, type: 'bar', data: top.map((i) => i.on_hand_end), itemStyle: { color: '#e6a23c' } },
    ],
  }
}
