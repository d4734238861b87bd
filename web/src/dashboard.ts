// The dashboard's arithmetic, kept out of the component so it can be tested.
import { addDays, day, shanghaiDayStartUtc } from './format'

export interface DayRow { day: string; orders: number; paid_total_fen: number }

export const STAGES = ['pending_audit', 'audited', 'waybill_printed', 'picked', 'verified', 'packed',
  'shipped', 'delivered', 'on_hold', 'cancelled'] as const

/** The window of the last n Shanghai days ending today: [from, to) as UTC ISO. */
export function lastDays(n: number, now = new Date()) {
  const today = day(now)
  const first = addDays(today, -(n - 1))
  return { first, today, from: shanghaiDayStartUtc(first), to: shanghaiDayStartUtc(addDays(today, 1)) }
}

/** One point per day from first to last, days without orders as zero. */
export function fillDays(rows: DayRow[], first: string, last: string) {
  const by = new Map(rows.map((r) => [r.day, r]))
  const days: string[] = []
  const orders: number[] = []
  const sales: number[] = []
  for (let d = first; d <= last; d = addDays(d, 1)) {
    const r = by.get(d)
    days.push(d)
    orders.push(r ? r.orders : 0)
    sales.push(r ? r.paid_total_fen : 0)
  }
  return { days, orders, sales }
}

/** Stage cards in the order work flows, with a zero for stages without orders. */
export function stageCards(byStage: Record<string, number>) {
  return STAGES.map((s) => ({ stage: s, n: byStage[s] || 0 }))
}
