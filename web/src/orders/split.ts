// ORD-10 in the console: merged orders (one parcel for several platform orders
// of one buyer and address) and split orders (one order's items over several
// parcels). These helpers only shape the screens; the API decides
// (src/orders/order_merge.c) and its 422 is shown when it refuses.
import { can } from '../roles'

export const SPLIT_MIN = 2
export const SPLIT_MAX = 20 // ORDER_SPLIT_MAX

export interface SplitItem {
  line_no: number
  qty: number
  title?: string
  sku_code?: string
}

/** qty[line][parcel]: how many of each item line go to each parcel. */
export interface SplitPlan {
  lines: SplitItem[]
  qty: number[][]
}

export type SplitProblem =
  | { kind: 'count'; parcels: number }
  | { kind: 'sum'; line_no: number; qty: number; sum: number }
  | { kind: 'bad'; line_no: number; parcel: number }
  | { kind: 'empty'; parcel: number }

/** The units dealt out one at a time across the parcels, line after line, so
 * every parcel gets something when there are at least as many units as parcels. */
export function initialPlan(items: SplitItem[], parcels = SPLIT_MIN): SplitPlan {
  const n = Math.max(1, parcels)
  let next = 0
  const qty = items.map((it) => {
    const row = new Array<number>(n).fill(0)
    for (let u = 0; u < it.qty; u++) {
      row[next % n]++
      next++
    }
    return row
  })
  return { lines: items.map((it) => ({ ...it })), qty }
}

export function parcelCount(plan: SplitPlan): number {
  return plan.qty.length ? plan.qty[0].length : 0
}

/** A new empty parcel at the end (at most SPLIT_MAX). */
export function addParcel(plan: SplitPlan): SplitPlan {
  if (parcelCount(plan) >= SPLIT_MAX) return plan
  return { lines: plan.lines, qty: plan.qty.map((row) => [...row, 0]) }
}

/** Removes parcel p (0-based); what it held goes back to the first remaining parcel. */
export function removeParcel(plan: SplitPlan, p: number): SplitPlan {
  const n = parcelCount(plan)
  if (n <= SPLIT_MIN || p < 0 || p >= n) return plan
  const qty = plan.qty.map((row) => {
    const moved = row[p] || 0
    const rest = row.filter((_, i) => i !== p)
    rest[0] += moved
    return rest
  })
  return { lines: plan.lines, qty }
}

/** The units of a line not yet in any parcel (negative when too many). */
export function remaining(plan: SplitPlan, line: number): number {
  const row = plan.qty[line] || []
  return plan.lines[line].qty - row.reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0)
}

/** Units in parcel p. */
export function parcelUnits(plan: SplitPlan, p: number): number {
  return plan.qty.reduce((a, row) => a + (row[p] || 0), 0)
}

/** What the API would refuse, said before sending: 2..20 parcels, whole
 * non-negative quantities, every line's parcels summing to its quantity, no
 * empty parcel. */
export function validatePlan(plan: SplitPlan): SplitProblem[] {
  const out: SplitProblem[] = []
  const n = parcelCount(plan)
  if (n < SPLIT_MIN || n > SPLIT_MAX) out.push({ kind: 'count', parcels: n })
  plan.lines.forEach((it, l) => {
    const row = plan.qty[l]
    row.forEach((q, p) => {
      if (!Number.isInteger(q) || q < 0) out.push({ kind: 'bad', line_no: it.line_no, parcel: p + 1 })
    })
    const sum = row.reduce((a, b) => a + (Number.isInteger(b) && b > 0 ? b : 0), 0)
    if (sum !== it.qty) out.push({ kind: 'sum', line_no: it.line_no, qty: it.qty, sum })
  })
  for (let p = 0; p < n; p++) if (parcelUnits(plan, p) <= 0) out.push({ kind: 'empty', parcel: p + 1 })
  return out
}

/** The body of POST /orders/{id}/split: each parcel's lines with a quantity. */
export function planToParcels(plan: SplitPlan): { line_no: number; qty: number }[][] {
  const n = parcelCount(plan)
  const parcels: { line_no: number; qty: number }[][] = []
  for (let p = 0; p < n; p++)
    parcels.push(plan.lines.flatMap((it, l) => (plan.qty[l][p] > 0 ? [{ line_no: it.line_no, qty: plan.qty[l][p] }] : [])))
  return parcels
}

/** Whether to offer 拆单: audited (stock held, nothing printed), neither merged
 * nor split already, at least two units, and a role that may (order_audit). */
export function splitOffered(
  o: { stage: string; merge_group?: number | null; split_parcels?: number; item_qty: number } | null,
  role: string | undefined,
): boolean {
  return !!o && o.stage === 'audited' && !o.merge_group && !o.split_parcels && o.item_qty >= 2 && can(role, 'order_audit')
}

// ---------------------------------------------------------------- parcels

export const PARCEL_ACTIONS = ['print', 'pick', 'verify', 'pack', 'ship', 'cancel'] as const
export type ParcelAction = (typeof PARCEL_ACTIONS)[number]

/** The action that moves a parcel on from its stage (the order's own path). */
const NEXT: Record<string, ParcelAction> = {
  audited: 'print', waybill_printed: 'pick', picked: 'verify', verified: 'pack', packed: 'ship',
}

/** Who may (order_merge_http.c parcel_roles). */
export function parcelRoleMay(role: string | undefined, a: ParcelAction): boolean {
  if (a === 'cancel') return can(role, 'order_edit')
  if (a === 'verify') return role === 'boss' || role === 'cs_lead'
  return can(role, a === 'ship' ? 'ship' : 'print')
}

/** The buttons of one parcel: its next step (when the role may) and cancel
 * before shipping. */
export function parcelButtons(stage: string, role: string | undefined): ParcelAction[] {
  const out: ParcelAction[] = []
  const next = NEXT[stage]
  if (next && parcelRoleMay(role, next)) out.push(next)
  if (stage in NEXT && parcelRoleMay(role, 'cancel')) out.push('cancel')
  return out
}

/** 补打: a parcel's waybill printed again (lost or damaged label) where the
 * API reprints, at 已打单 (order_parcel_next: print keeps waybill_printed). */
export function parcelReprintOffered(stage: string, role: string | undefined): boolean {
  return stage === 'waybill_printed' && parcelRoleMay(role, 'print')
}

export type ParcelButton = ParcelAction | 'reprint'

/** A parcel row's buttons: its next step, 补打 where offered, cancel last. */
export function parcelRowButtons(stage: string, role: string | undefined): ParcelButton[] {
  const out: ParcelButton[] = parcelButtons(stage, role).filter((a) => a !== 'cancel')
  if (parcelReprintOffered(stage, role)) out.push('reprint')
  if (parcelButtons(stage, role).includes('cancel')) out.push('cancel')
  return out
}

export interface ParcelLine { line_no: number; qty: number }

/** "黑色 T 恤 ×1, 帽子 ×2": a parcel's lines with the items' titles. */
export function parcelContents(lines: ParcelLine[], items: SplitItem[]): string {
  const byLine = new Map(items.map((it) => [it.line_no, it]))
  return lines
    .map((l) => {
      const it = byLine.get(l.line_no)
      const name = it ? it.sku_code || it.title || '#' + l.line_no : '#' + l.line_no
      return name + ' ×' + l.qty
    })
    .join(', ')
}

/** Ship counts: "1/2" of the live (not cancelled) parcels shipped. */
export function shippedOfLive(parcels: { stage: string }[]): { shipped: number; live: number } {
  const live = parcels.filter((p) => p.stage !== 'cancelled')
  return { shipped: live.filter((p) => p.stage === 'shipped' || p.stage === 'delivered').length, live: live.length }
}

// ---------------------------------------------------------------- merge

export interface CandidateOrder {
  id: number; order_no: string; stage: string; version: number; item_qty: number; paid_fen: number; item_title: string
}
export interface CandidateGroup {
  group: number; buyer_nick: string; receiver_name: string; orders: CandidateOrder[]
}

/** The body of POST /orders/merge for a candidate group: ids and the versions seen. */
export function mergeBody(g: CandidateGroup): { ids: number[]; versions: number[] } {
  return { ids: g.orders.map((o) => o.id), versions: g.orders.map((o) => o.version) }
}

/** Units and money of a group, for its heading. */
export function groupTotals(g: CandidateGroup): { orders: number; qty: number; paid_fen: number } {
  return {
    orders: g.orders.length,
    qty: g.orders.reduce((a, o) => a + o.item_qty, 0),
    paid_fen: g.orders.reduce((a, o) => a + o.paid_fen, 0),
  }
}
