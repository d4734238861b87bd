// Which columns of the orders table are shown: chosen by the user and
// remembered in localStorage (per browser, not per account).
export const COLUMNS = [
  'order_no', 'stage', 'buyer_nick', 'receiver_name', 'receiver_phone', 'receiver_address',
  'item_title', 'item_qty', 'paid_fen', 'platform_status', 'tracking_no', 'created_at', 'paid_at',
  'exception',
] as const
export type Column = (typeof COLUMNS)[number]

export const DEFAULT_COLUMNS: Column[] = [
  'order_no', 'stage', 'buyer_nick', 'receiver_name', 'item_title', 'item_qty', 'paid_fen',
  'platform_status', 'created_at', 'exception',
]

export const COLUMNS_KEY = 'dianpu.orders.columns'

interface KV {
  getItem(k: string): string | null
  setItem(k: string, v: string): void
}

/** The saved choice, in table order; the defaults when nothing (valid) is saved. */
export function loadColumns(store: KV | undefined = globalThis.localStorage): Column[] {
  try {
    const raw = store?.getItem(COLUMNS_KEY)
    if (!raw) return [...DEFAULT_COLUMNS]
    const v = JSON.parse(raw)
    if (!Array.isArray(v)) return [...DEFAULT_COLUMNS]
    const set = new Set(v.filter((c): c is string => typeof c === 'string'))
    const cols = COLUMNS.filter((c) => set.has(c))
    return cols.length ? cols : [...DEFAULT_COLUMNS]
  } catch {
    return [...DEFAULT_COLUMNS]
  }
}

export function saveColumns(cols: readonly string[], store: KV | undefined = globalThis.localStorage) {
  const set = new Set(cols)
  store?.setItem(COLUMNS_KEY, JSON.stringify(COLUMNS.filter((c) => set.has(c))))
}
