// The answer of POST /api/v1/orders/batch/{action}: one result per order, each
// in its own transaction. The console lists the failures with their reasons.
export interface BatchResult {
  id: number
  ok: boolean
  error?: { code: string; message: string; field?: string }
}
export interface BatchAnswer {
  results: BatchResult[]
  ok: number
  failed: number
}
export interface BatchFailure {
  id: number
  order_no: string
  reason: string
}

/** The failed orders with their order numbers (when the page knows them) and reasons. */
export function batchFailures(a: BatchAnswer, orderNo: (id: number) => string | undefined): BatchFailure[] {
  return (a.results || [])
    .filter((r) => !r.ok)
    .map((r) => ({ id: r.id, order_no: orderNo(r.id) || String(r.id), reason: r.error?.message || '' }))
}

/** The ids a batch may act on: distinct, positive, at most the API's 1000. */
export function batchIds(ids: readonly number[]): number[] {
  const out: number[] = []
  const seen = new Set<number>()
  for (const id of ids) {
    if (!Number.isInteger(id) || id <= 0 || seen.has(id)) continue
    seen.add(id)
    out.push(id)
  }
  return out.slice(0, 1000)
}

/** "1,2,3" from the URL → ids; anything else is ignored. */
export function parseIds(s: unknown): number[] {
  if (Array.isArray(s)) s = s.join(',')
  if (typeof s !== 'string') return []
  return batchIds(s.split(/[,\s]+/).filter(Boolean).map(Number))
}
