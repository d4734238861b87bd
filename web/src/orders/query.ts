// The orders list's filters: kept in the URL query (so back/forward and reload
// keep them) and turned into the query of GET /api/v1/orders. Days are Shanghai
// calendar days; the API takes UTC instants with `to` exclusive.
import { addDays, shanghaiDayStartUtc } from '../format'
import type { Query } from '../api'

export const STAGES = [
  'pending_audit', 'audited', 'waybill_printed', 'picked', 'verified', 'packed',
  'shipped', 'delivered', 'on_hold', 'cancelled',
] as const
export type Stage = (typeof STAGES)[number]

export const PAGE_SIZE = 50

/** The text filters, in the order the filter bar shows them. */
export const TEXT_FILTERS = ['order_no', 'buyer', 'receiver', 'phone4', 'sku', 'tracking'] as const
export type TextFilter = (typeof TEXT_FILTERS)[number]

export interface Filters {
  stage: string
  status: string
  from: string // YYYY-MM-DD, Shanghai
  to: string // YYYY-MM-DD, Shanghai, inclusive
  order_no: string
  buyer: string
  receiver: string
  phone4: string
  sku: string
  tracking: string
  exception: boolean
  page: number
}

export function emptyFilters(): Filters {
  return {
    stage: '', status: '', from: '', to: '', order_no: '', buyer: '', receiver: '', phone4: '',
    sku: '', tracking: '', exception: false, page: 1,
  }
}

type RouteQuery = Record<string, string | null | (string | null)[] | undefined>

function one(v: RouteQuery[string]): string {
  if (Array.isArray(v)) v = v[0]
  return typeof v === 'string' ? v.trim() : ''
}

const YMD = /^\d{4}-\d{2}-\d{2}$/

/** The filters a URL query holds; anything malformed is dropped. */
export function filtersFromQuery(q: RouteQuery): Filters {
  const f = emptyFilters()
  const stage = one(q.stage)
  if ((STAGES as readonly string[]).includes(stage)) f.stage = stage
  f.status = one(q.status)
  const from = one(q.from)
  const to = one(q.to)
  if (YMD.test(from)) f.from = from
  if (YMD.test(to)) f.to = to
  for (const k of TEXT_FILTERS) f[k] = one(q[k])
  f.exception = one(q.exception) === '1'
  const page = Number(one(q.page))
  f.page = Number.isInteger(page) && page >= 1 && page <= 1000000 ? page : 1
  return f
}

/** The URL query of some filters: only what is set, so URLs stay short. */
export function filtersToQuery(f: Filters): Record<string, string> {
  const q: Record<string, string> = {}
  if (f.stage) q.stage = f.stage
  if (f.status) q.status = f.status
  if (f.from) q.from = f.from
  if (f.to) q.to = f.to
  for (const k of TEXT_FILTERS) {
    const v = f[k].trim()
    if (v) q[k] = v
  }
  if (f.exception) q.exception = '1'
  if (f.page > 1) q.page = String(f.page)
  return q
}

/** The query of GET /api/v1/orders for some filters. */
export function apiQuery(f: Filters, store: string, pageSize = PAGE_SIZE): Query {
  const q: Query = { store, page: f.page, page_size: pageSize }
  if (f.stage) q.stage = f.stage
  if (f.status) q.status = f.status
  if (f.from) q.from = shanghaiDayStartUtc(f.from)
  if (f.to) q.to = shanghaiDayStartUtc(addDays(f.to, 1))
  for (const k of TEXT_FILTERS) {
    const v = f[k].trim()
    if (v) q[k] = v
  }
  if (f.exception) q.exception = 1
  return q
}

/** Whether any filter besides the stage and page is set (for the "reset" button). */
export function hasFilters(f: Filters): boolean {
  return !!(f.status || f.from || f.to || f.exception || TEXT_FILTERS.some((k) => f[k].trim()))
}

/**
 * The total the pager works with. The API stops counting at a cap and says
 * total_capped; people must still be able to page forward then, so the pager
 * is offered one page past the current one whenever this page came back full.
 */
export function pagerTotal(total: number, capped: boolean, page: number, pageSize: number, rows: number): number {
  if (!capped) return total
  const seen = (page - 1) * pageSize + rows
  const more = rows >= pageSize ? pageSize : 0
  return Math.max(total, seen + more)
}

/** The phone filter takes the last four digits only. */
export function phone4Ok(s: string): boolean {
  return s === '' || /^\d{4}$/.test(s.trim())
}

/** Platform statuses as the platform writes them (the filter matches the text exactly). */
export const PLATFORM_STATUSES: { key: string; text: string }[] = [
  { key: 'wait_pay', text: '等待买家付款' },
  { key: 'paid', text: '买家已付款，等待卖家发货' },
  { key: 'shipped', text: '卖家已发货，等待买家确认' },
  { key: 'success', text: '交易成功' },
  { key: 'closed', text: '交易关闭' },
  { key: 'refund_closed', text: '付款以后用户退款成功，交易自动关闭' },
]

/** The tag colour of a stage. */
export function stageType(stage: string): 'primary' | 'success' | 'warning' | 'info' | 'danger' {
  switch (stage) {
    case 'pending_audit': return 'warning'
    case 'on_hold': return 'danger'
    case 'cancelled': return 'info'
    case 'shipped': case 'delivered': return 'success'
    default: return 'primary'
  }
}
